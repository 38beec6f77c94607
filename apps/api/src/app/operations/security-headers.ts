import helmet from 'helmet';

/**
 * The Content-Security-Policy of the API and of the web app it serves from the same origin.
 * Scripts load only from this origin (Vite emits module files, no inline script). Styles need
 * 'unsafe-inline': antd writes its CSS-in-JS into <style> elements at run time, and a nonce would
 * have to be threaded into every page render of a static SPA. Inline styles cannot run code, and
 * script-src stays strict, so the risk left is CSS injection only. Images may be data:/blob:
 * (antd icons, uploaded evidence previews).
 */
export const CONTENT_SECURITY_POLICY: Readonly<Record<string, readonly string[]>> = {
  'default-src': ["'self'"],
  'script-src': ["'self'"],
  'style-src': ["'self'", "'unsafe-inline'"],
  'img-src': ["'self'", 'data:', 'blob:'],
  'font-src': ["'self'", 'data:'],
  'connect-src': ["'self'"],
  'object-src': ["'none'"],
  'base-uri': ["'self'"],
  'form-action': ["'self'"],
  'frame-ancestors': ["'none'"],
  'worker-src': ["'self'", 'blob:'],
};

export function securityHeaders() {
  return helmet({
    contentSecurityPolicy: { useDefaults: false, directives: Object.fromEntries(Object.entries(CONTENT_SECURITY_POLICY).map(([k, v]) => [k, [...v]])) },
    // Evidence files and the SPA are same-origin; no cross-origin embedding is offered.
    crossOriginResourcePolicy: { policy: 'same-origin' },
    strictTransportSecurity: { maxAge: 31_536_000, includeSubDomains: true },
    referrerPolicy: { policy: 'no-referrer' },
  });
}
