import { Prop, Schema, SchemaFactory } from '@nestjs/mongoose';
import type { Types } from 'mongoose';

/**
 * The routing trace of one auto-routed gateway request (DESIGN.md §4): the decision, every step
 * (prompt-free) and the evidence replay needs. The request log links to it by `routingTraceId`.
 * Written in batches off the request path; deleted at `expiresAt`.
 */
@Schema({ collection: 'routing_traces', versionKey: false })
export class RoutingTrace {
  _id!: Types.ObjectId;

  @Prop({ type: String, default: null })
  tenantId!: string | null;

  @Prop({ required: true })
  timestamp!: Date;

  @Prop({ type: String, default: null })
  category!: string | null;

  @Prop({ required: true })
  tier!: string;

  @Prop({ type: String, default: null })
  model!: string | null;

  /**
   * JSON of {@link StoredRoutingTrace} (steps, overrides, evidence). Text rather than nested
   * documents: step outputs are free-form, and text keeps any key valid on MongoDB and FerretDB.
   */
  @Prop({ required: true })
  data!: string;

  @Prop({ required: true })
  expiresAt!: Date;
}

export type RoutingTraceRecord = RoutingTrace;
export const RoutingTraceSchema = SchemaFactory.createForClass(RoutingTrace);
RoutingTraceSchema.index({ expiresAt: 1 }, { expireAfterSeconds: 0 });
