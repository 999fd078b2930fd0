import { applyDecorators, type Type } from '@nestjs/common';
import {
  ApiBadRequestResponse,
  ApiConflictResponse,
  ApiCreatedResponse,
  ApiNoContentResponse,
  ApiNotFoundResponse,
  ApiOkResponse,
} from '@nestjs/swagger';

import type { Permission } from './permissions';
import { RequirePermission } from './require-permission.decorator';

/** What an admin route answers, for the OpenAPI spec. Errors are described in a few words. */
export interface RouteAnswers {
  /** 200 with this body (`[Dto]` for a list). */
  ok?: Type<unknown> | [Type<unknown>];
  /** 201 with this body. */
  created?: Type<unknown>;
  /** 204: what the empty answer means. */
  noContent?: string;
  badRequest?: string;
  notFound?: string;
  conflict?: string;
}

/**
 * Documents a route's answers in one line. The success answer must have the status the route
 * really sends (`@HttpCode`, or 201 for `@Post`): the Swagger plugin documents that status from
 * the return type, and this entry replaces it.
 */
export function ApiAnswers(answers: RouteAnswers): MethodDecorator {
  const decorators: MethodDecorator[] = [];
  if (answers.ok) decorators.push(ApiOkResponse({ type: answers.ok }));
  if (answers.created) decorators.push(ApiCreatedResponse({ type: answers.created }));
  if (answers.noContent) decorators.push(ApiNoContentResponse({ description: answers.noContent }));
  if (answers.badRequest) decorators.push(ApiBadRequestResponse({ description: answers.badRequest }));
  if (answers.notFound) decorators.push(ApiNotFoundResponse({ description: answers.notFound }));
  if (answers.conflict) decorators.push(ApiConflictResponse({ description: answers.conflict }));
  return applyDecorators(...decorators);
}

/** An admin route: behind one permission (see `RequirePermission`), with its answers documented. */
export function AdminRoute(permission: Permission, answers: RouteAnswers): MethodDecorator {
  return applyDecorators(RequirePermission(permission), ApiAnswers(answers));
}
