/** Which tree this jest project runs against: set in jest.config.ts. */
declare const KATA_TREE: 'katas' | 'solutions';

export const TREE: 'katas' | 'solutions' = KATA_TREE;
