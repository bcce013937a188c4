/**
 * What `import ... from '@tensorflow/tfjs'` (or -core, -layers) gives kata code
 * under jest: the one tfjs the test environment loaded and handed over
 * (tf-environment.js, __KATA_TF__), the same that lib/tf.ts exports. Without
 * this, jest's module registry would load a second tfjs whose tensors and
 * models the first cannot use ("Improper config format", variableGrads errors),
 * though the same file runs fine under plain Node, where both imports are one.
 */
const handedOver = globalThis.__KATA_TF__;
if (!handedOver) throw new Error('@tensorflow/tfjs under jest: the test environment (test/support/tf-environment.js) did not hand over its TensorFlow.js.');
module.exports = handedOver.tf;
