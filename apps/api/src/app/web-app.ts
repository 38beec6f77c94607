import type { NestExpressApplication } from '@nestjs/platform-express';
import type { NextFunction, Request, Response } from 'express';
import { existsSync } from 'node:fs';
import { join } from 'node:path';

/**
 * Serves the built web app (dist/web) on the API's origin: hashed assets under /assets/ (cached a
 * year; nothing else touches the disk, so API requests pay no file lookups) and index.html for any
 * other navigation asking for text/html, so routes survive a reload. False when there is no build.
 */
export function serveWebApp(app: NestExpressApplication, directory: string): boolean {
  const index = join(directory, 'index.html');
  if (!existsSync(index)) return false;
  app.useStaticAssets(join(directory, 'assets'), { prefix: '/assets/', immutable: true, maxAge: '365d', index: false });
  app.use((request: Request, response: Response, next: NextFunction) => {
    const navigation = request.method === 'GET' && (request.headers.accept ?? '').includes('text/html') && !request.path.startsWith('/docs');
    if (!navigation) return next();
    response.setHeader('Cache-Control', 'no-cache');
    response.sendFile(index);
  });
  return true;
}
