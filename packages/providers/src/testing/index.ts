export {
  startFakeUpstream,
  type FakeFailure,
  type FakeMishap,
  type FakeReportedUsage,
  type FakeUpstream,
  type FakeUpstreamOptions,
  type RecordedRequest,
} from './fake-upstream.js';
export type { FakeBalances } from './fake-balances.js';
export type { StreamFraming } from './fake-sse.js';
export type { RecordedFile, RecordedForm } from './multipart.js';
export {
  fakeAudioSeconds,
  fakeChatPromptTokens,
  fakeInputTokens,
  fakeInputs,
  fakeWords,
} from './fake-tokens.js';
export { fakeSpeech } from './fake-audio.js';
export { fakeEmbedding } from './fake-endpoints.js';
export { FAKE_THINKING } from './fake-anthropic.js';
export {
  chunkFrame,
  configureFakeBedrock,
  exceptionFrame,
  type FakeBedrockAccount,
} from './fake-bedrock.js';
export { GEMINI_BLOCKED_PROMPT_MARKER, GEMINI_UNSAFE_MARKER } from './fake-gemini.js';
export {
  configureFakeVertex,
  expireFakeVertexTokens,
  fakeVertexMints,
  fakeVertexServiceAccount,
  type FakeVertexAccount,
  type FakeVertexSettings,
} from './fake-vertex.js';
