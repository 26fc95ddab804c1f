// The contract suite needs vitest; it lives apart so `@tidings/core/testing` works under any runner.
export {
  type ChannelContractFixture,
  type ChannelContractOptions,
  describeChannelContract,
} from './contract-suite.js';
export {
  describeMessageStoreContract,
  type MessageStoreContractFixture,
  type MessageStoreContractOptions,
  storeRecord,
} from './store-contract-suite.js';
