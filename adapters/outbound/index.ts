export { OpenAiChatModel } from './openai-chat-model.js';
