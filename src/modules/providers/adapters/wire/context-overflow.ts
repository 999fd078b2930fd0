const CONTEXT_OVERFLOW =
  /prompt is too long|context (?:window|length|limit)|maximum context|too many (?:input )?tokens|input is too long/i;

/**
 * True when an upstream error message says the prompt does not fit the model's window, e.g.
 * Anthropic "prompt is too long: 208310 tokens > 200000 maximum" or Bedrock "Input is too long for
 * requested model". Such errors get code `context_length_exceeded` so the gateway can retry larger.
 */
export function isContextOverflowMessage(message: string): boolean {
  return CONTEXT_OVERFLOW.test(message);
}
