/**
 * Trained models as files, in TensorFlow.js' own layers-model format
 * (model.json + weights.bin), written and read without tfjs-node's file://
 * handler so it works on the pure-JS backend too. Nothing is fetched.
 */
import fs from 'node:fs';
import path from 'node:path';
import type { io, LayersModel } from '@tensorflow/tfjs';
import { REPO_ROOT } from './plot-files';
import { parseJsonForTf, tf } from './tf';

/** Where the reference models live: lib/models/<name>/ (made by `npm run models`). */
export function referenceModelDir(name: string): string {
  return path.join(REPO_ROOT, 'lib', 'models', name);
}

export async function saveModel(model: LayersModel, dir: string): Promise<void> {
  await model.save(
    tf.io.withSaveHandler(async (artifacts: io.ModelArtifacts) => {
      fs.mkdirSync(dir, { recursive: true });
      const weightData = artifacts.weightData as ArrayBuffer;
      fs.writeFileSync(path.join(dir, 'weights.bin'), Buffer.from(weightData));
      const modelJson = {
        format: 'layers-model',
        generatedBy: 'why-cant-my-nn-learn-x-squared npm run models',
        modelTopology: artifacts.modelTopology,
        weightsManifest: [{ paths: ['weights.bin'], weights: artifacts.weightSpecs }],
      };
      fs.writeFileSync(path.join(dir, 'model.json'), `${JSON.stringify(modelJson, null, 1)}\n`);
      return { modelArtifactsInfo: { dateSaved: new Date(0), modelTopologyType: 'JSON' } };
    }),
  );
}

export async function loadModel(dir: string): Promise<LayersModel> {
  const jsonPath = path.join(dir, 'model.json');
  if (!fs.existsSync(jsonPath)) {
    throw new Error(`No model at ${path.relative(REPO_ROOT, dir)}: run \`npm run models\` to make the reference models.`);
  }
  const modelJson = parseJsonForTf(fs.readFileSync(jsonPath, 'utf8')) as {
    modelTopology: object;
    weightsManifest: { paths: string[]; weights: io.WeightsManifestEntry[] }[];
  };
  const manifest = modelJson.weightsManifest[0];
  if (!manifest) throw new Error(`${jsonPath} lists no weights.`);
  const bytes = fs.readFileSync(path.join(dir, manifest.paths[0] ?? 'weights.bin'));
  const weightData = bytes.buffer.slice(bytes.byteOffset, bytes.byteOffset + bytes.byteLength);
  return tf.loadLayersModel(tf.io.fromMemory({ modelTopology: modelJson.modelTopology, weightSpecs: manifest.weights, weightData }));
}
