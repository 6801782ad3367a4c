export { HASH_SIZE, leafHash, nodeHash, emptyRoot } from './hash.js';
export { MerkleAccumulator, rootFromLeafHashes } from './accumulator.js';
export { inclusionProof, consistencyProof, inclusionPath, consistencyPath, type RangeRoot } from './prove.js';
export { inclusionProofLength, consistencyProofLength } from './proof-length.js';
export { rootFromInclusionProof, verifyInclusion, type InclusionInput } from './verify-inclusion.js';
export { verifyConsistency, type ConsistencyInput } from './verify-consistency.js';
