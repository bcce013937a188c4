/** A kata module's name, as the tests import it (`@kata/<name>`) and the host loads it: a top-level file of a kata folder, "NN-slug/file". */
export const KATA_MODULE = /^\d\d-[a-z0-9-]+\/[A-Za-z0-9_-]+$/;
