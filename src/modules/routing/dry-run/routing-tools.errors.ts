import { BadGatewayException, BadRequestException, NotFoundException } from '@nestjs/common';

export class RoutingTenantNotFoundError extends NotFoundException {
  constructor(idOrSlug: string) {
    super(`Tenant ${idOrSlug} not found`);
  }
}

export class RoutingTraceNotFoundError extends NotFoundException {
  constructor(id: string) {
    super(`No routing trace for ${id}`);
  }
}

export class RoutingSuiteNotFoundError extends NotFoundException {
  constructor(id: string) {
    super(`Routing test suite ${id} not found`);
  }
}

export class RoutingRunNotFoundError extends NotFoundException {
  constructor(id: string) {
    super(`Routing test run ${id} not found`);
  }
}

export class RoutingInputError extends BadRequestException {
  constructor(message: string, details?: unknown) {
    super({ message, ...(details !== undefined ? { details } : {}) });
  }
}

/** The LLM asked to generate or evaluate failed or answered with nothing usable. */
export class RoutingLlmError extends BadGatewayException {
  constructor(message: string) {
    super(message);
  }
}
