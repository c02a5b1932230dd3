export {
  startFakeUpstream,
  type FakeBalances,
  type FakeFailure,
  type FakeUpstream,
  type FakeUpstreamOptions,
  type RecordedRequest,
} from './fake-upstream.js';
