import { type INestApplicationContext, RequestMethod, type Type } from '@nestjs/common';
import { METHOD_METADATA, PATH_METADATA, ROUTE_ARGS_METADATA } from '@nestjs/common/constants';
import { RouteParamtypes } from '@nestjs/common/enums/route-paramtypes.enum';
import { MetadataScanner, ModulesContainer } from '@nestjs/core';
import { policyOf, type RoutePolicy } from '@tieuchi/shared/auth';

/** One HTTP route of the running app, read from Nest's own metadata (not from a hand-kept list). */
export interface AppRoute {
  readonly method: string;
  /** Nest's form, e.g. `/periods/:periodId/assessments/:unitCode`, without a global prefix. */
  readonly path: string;
  /** `POST /periods/:periodId/assessments/:unitCode/submit`: the key of the expected-policy table. */
  readonly key: string;
  readonly controller: string;
  readonly handler: string;
  readonly policy: RoutePolicy | undefined;
  /** The `:name` segments of the path, in order. */
  readonly pathParams: readonly string[];
  /** The DTO classes the handler validates, when it takes a body, a query or whole-params object. */
  readonly body: Type | undefined;
  readonly query: Type | undefined;
}

interface RouteArgument {
  readonly index: number;
  readonly data: unknown;
}

/**
 * Every route of every controller the app has registered, one entry per path when a handler
 * declares several (`@Get(['ready', ''])`).
 */
export function appRoutes(app: INestApplicationContext): AppRoute[] {
  const scanner = new MetadataScanner();
  const seen = new Set<object>();
  const routes: AppRoute[] = [];
  for (const module of app.get(ModulesContainer).values()) {
    for (const wrapper of module.controllers.values()) {
      const controller: unknown = wrapper.metatype;
      if (typeof controller !== 'function' || seen.has(controller)) continue;
      seen.add(controller);
      const prototype = controller.prototype as Record<string, unknown>;
      for (const name of scanner.getAllMethodNames(prototype)) {
        const handler = prototype[name];
        if (typeof handler !== 'function') continue;
        const handlerPaths: unknown = Reflect.getMetadata(PATH_METADATA, handler);
        if (handlerPaths === undefined) continue;
        const method = RequestMethod[(Reflect.getMetadata(METHOD_METADATA, handler) as RequestMethod | undefined) ?? RequestMethod.ALL];
        const args = (Reflect.getMetadata(ROUTE_ARGS_METADATA, controller, name) ?? {}) as Record<string, RouteArgument>;
        const types = (Reflect.getMetadata('design:paramtypes', prototype, name) ?? []) as unknown[];
        const dtoOf = (kind: RouteParamtypes): Type | undefined => {
          const entry = Object.entries(args).find(([key, arg]) => key.split(':')[0] === String(kind) && arg.data === undefined);
          const type = entry ? types[entry[1].index] : undefined;
          return typeof type === 'function' && type !== Object ? (type as Type) : undefined;
        };
        for (const controllerPath of asList(Reflect.getMetadata(PATH_METADATA, controller))) {
          for (const handlerPath of asList(handlerPaths)) {
            const path = joinPaths(controllerPath, handlerPath);
            routes.push({
              method,
              path,
              key: `${method} ${path}`,
              controller: controller.name,
              handler: name,
              policy: policyOf(handler, controller),
              pathParams: [...path.matchAll(/:([A-Za-z0-9_]+)/g)].map((match) => match[1] ?? ''),
              body: dtoOf(RouteParamtypes.BODY),
              query: dtoOf(RouteParamtypes.QUERY),
            });
          }
        }
      }
    }
  }
  return routes.sort((a, b) => a.key.localeCompare(b.key));
}

/** `/periods/:periodId/x` → `/periods/{periodId}/x`, the OpenAPI document's form. */
export function openApiPath(path: string): string {
  return path.replace(/:([A-Za-z0-9_]+)/g, '{$1}');
}

/** Fills a route's `:name` segments; values are URL-encoded unless `raw`. */
export function fillPath(path: string, values: Readonly<Record<string, string>>, raw = false): string {
  return path.replace(/:([A-Za-z0-9_]+)/g, (_, name: string) => {
    const value = values[name];
    if (value === undefined) throw new Error(`no value for :${name} in ${path}`);
    return raw ? value : encodeURIComponent(value);
  });
}

function asList(value: unknown): string[] {
  if (Array.isArray(value)) return value.map(String);
  return [typeof value === 'string' ? value : ''];
}

function joinPaths(...parts: string[]): string {
  const segments = parts.map((part) => part.replace(/^\/+|\/+$/g, '')).filter((part) => part !== '');
  return `/${segments.join('/')}`;
}
