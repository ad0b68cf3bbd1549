import { Injectable, UnsupportedMediaTypeException, type CallHandler, type ExecutionContext, type NestInterceptor } from '@nestjs/common';
import { ROUTE_ARGS_METADATA } from '@nestjs/common/constants';
import { RouteParamtypes } from '@nestjs/common/enums/route-paramtypes.enum';
import type { Request } from 'express';
import type { Observable } from 'rxjs';

/** The media types the body parser reads (create-app.ts); any other body is not read at all. */
export const JSON_TYPES = ['application/json', 'application/*+json'];

const hasBody = (request: Request): boolean =>
  Number(request.headers['content-length'] ?? 0) > 0 || request.headers['transfer-encoding'] !== undefined;

/** Whether the route takes a `@Body()`: its parameters' metadata, as Nest records them. */
const takesBody = (context: ExecutionContext): boolean => {
  const args: Record<string, unknown> = Reflect.getMetadata(ROUTE_ARGS_METADATA, context.getClass(), context.getHandler().name) ?? {};
  return Object.keys(args).some((key) => key.startsWith(`${RouteParamtypes.BODY}:`));
};

/**
 * 415 `unsupported-media-type` for a body that is not JSON on a route that takes one (decision 0031).
 * The body parser leaves such a body unread, so without this the route would validate an empty
 * body and answer 400 naming every required field, which hides what is wrong. After the guards
 * (401, 403 and 429 first), before the pipes: nothing is validated, nothing written.
 */
@Injectable()
export class JsonBodyInterceptor implements NestInterceptor {
  intercept(context: ExecutionContext, next: CallHandler): Observable<unknown> {
    const request = context.switchToHttp().getRequest<Request>();
    if (takesBody(context) && hasBody(request) && !request.is(JSON_TYPES)) {
      throw new UnsupportedMediaTypeException('the body must be JSON (Content-Type: application/json)');
    }
    return next.handle();
  }
}
