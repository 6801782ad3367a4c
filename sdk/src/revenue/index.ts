// Revenue: the constitutional split, pricing and period statements. Pure functions over
// data, shared by the appliance (which signs statements) and offline verifiers.
export { CREATOR_BPS, PLATFORM_BPS, BPS_WHOLE, splitRevenue, assertConstitutionalSplit, assertSharesOf, type RevenueShares } from './split.js';
export { priceUsage, priceTable, UsageLines } from './price.js';
export { rateCardDigest, RateCardResolver, type ResolvedPrice } from './rate-cards.js';
export { coverChain, coverageRoot, type ChainEntry, type Coverage } from './chain.js';
export { computeStatement, type StatementInput } from './statement.js';
export { verifyStatement, type VerifyStatementOptions, type VerifiedStatement } from './verify-statement.js';
export { firstDifference } from './diff.js';
export { parseAmount, formatAmount } from './amount.js';
