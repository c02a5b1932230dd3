export { DEFAULT_QUOTA_PER_UNIT, quotaFor, type Price, type Usage } from './pricing.js';
export { ceilOfProduct } from './exact-decimal.js';
export { PriceBook, type PriceOptions } from './price-book.js';
export {
  DEFAULT_CACHE_RATIO,
  DEFAULT_COMPLETION_RATIO,
  DEFAULT_CREATE_CACHE_RATIO,
  DEFAULT_MODEL_PRICE,
  DEFAULT_MODEL_RATIO,
} from './default-prices.js';
export {
  effectiveTokenStatus,
  tokenExpiresAt,
  tokenProblem,
  type TokenLimits,
  type TokenProblem,
} from './token-validity.js';
export { encodingFor, type TokenEncoding } from './token-encoding.js';
export { countText, encoderFor, tokenizerFor, type Tokenizer } from './tokenizer.js';
export {
  IMAGE_BASE_TOKENS,
  IMAGE_TILE_TOKENS,
  UNKNOWN_IMAGE_TOKENS,
  imageTokens,
  type ImageSize,
} from './image-tokens.js';
export { imageSizeFromDataUrl } from './image-size.js';
export type {
  ChatContentPart,
  ChatMessage,
  ChatPromptRequest,
  ChatTool,
  ChatToolCall,
  FunctionCall,
  FunctionDefinition,
} from './chat-request.js';
export { countChatPrompt } from './chat-prompt-tokens.js';
export { countToolDefinitions } from './tool-tokens.js';
export { countCompletionPrompt, countEmbeddingInput, type PromptInput } from './input-tokens.js';
export { imagePriceFactor } from './image-price.js';
