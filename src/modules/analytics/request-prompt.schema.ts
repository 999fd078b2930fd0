import { Prop, Schema, SchemaFactory } from '@nestjs/mongoose';
import { type HydratedDocument, Types } from 'mongoose';

/**
 * The prompt and answer of one request, stored only when the tenant has prompt logging on:
 * AES-256-GCM encrypted, deleted at `expiresAt` or once older than the current prompt retention
 * (the leased sweep `analytics.prompt-retention`; also a TTL index where the server has one).
 */
@Schema({ collection: 'request_prompts', versionKey: false })
export class RequestPrompt {
  /** Same _id as the RequestLog it belongs to. */
  _id!: Types.ObjectId;

  @Prop({ required: true, index: true })
  tenantId!: string;

  /** Indexed for the retention sweep (older than the current retention). */
  @Prop({ required: true, index: true })
  timestamp!: Date;

  /** `enc:...` of the JSON `{request, response}`. */
  @Prop({ required: true })
  data!: string;

  @Prop({ required: true })
  expiresAt!: Date;
}

export type RequestPromptDocument = HydratedDocument<RequestPrompt>;
export const RequestPromptSchema = SchemaFactory.createForClass(RequestPrompt);
RequestPromptSchema.index({ expiresAt: 1 }, { expireAfterSeconds: 0 });
