import { type INestApplicationContext, RequestMethod } from '@nestjs/common';
import { METHOD_METADATA, PATH_METADATA } from '@nestjs/common/constants';
import { MetadataScanner, ModulesContainer } from '@nestjs/core';
import { policyOf } from './auth-policy';

export interface RouteWithoutPolicy {
  readonly controller: string;
  readonly handler: string;
  /** e.g. `GET /assessments/:id`, without a global prefix. */
  readonly route: string;
}

/**
 * Routes that declare neither @Public() nor @Roles(...). The guard refuses them at run time; an
 * app's test asserts this list is empty so the omission is caught before anyone calls the route.
 */
export function findRoutesWithoutPolicy(app: INestApplicationContext): RouteWithoutPolicy[] {
  return routesWithoutPolicy(app.get(ModulesContainer));
}

export function routesWithoutPolicy(modules: ModulesContainer): RouteWithoutPolicy[] {
  const scanner = new MetadataScanner();
  const seen = new Set<object>();
  const found: RouteWithoutPolicy[] = [];
  for (const module of modules.values()) {
    for (const wrapper of module.controllers.values()) {
      const controller: unknown = wrapper.metatype;
      if (typeof controller !== 'function' || seen.has(controller)) continue;
      seen.add(controller);
      const prototype = controller.prototype as Record<string, unknown>;
      for (const name of scanner.getAllMethodNames(prototype)) {
        const handler = prototype[name];
        if (typeof handler !== 'function') continue;
        const path: unknown = Reflect.getMetadata(PATH_METADATA, handler);
        if (path === undefined || policyOf(handler, controller)) continue;
        const method = Reflect.getMetadata(METHOD_METADATA, handler) as RequestMethod | undefined;
        found.push({
          controller: controller.name,
          handler: name,
          route: `${method === undefined ? 'ANY' : RequestMethod[method]} ${joinPaths(Reflect.getMetadata(PATH_METADATA, controller), path)}`,
        });
      }
    }
  }
  return found;
}

function joinPaths(...parts: unknown[]): string {
  const segments = parts
    .map((part) => (Array.isArray(part) ? part.join('|') : typeof part === 'string' ? part : ''))
    .map((part) => part.replace(/^\/+|\/+$/g, ''))
    .filter((part) => part !== '');
  return `/${segments.join('/')}`;
}
