import { createContext, type ReactNode, useCallback, useContext, useEffect, useMemo, useState } from 'react';
import { credentials } from '../api/client';

export type Role = 'unit_editor' | 'unit_lead' | 'reviewer' | 'approver' | 'admin' | 'auditor';

export interface Me {
  id: string;
  name: string;
  roles: Role[];
  unitCode: string | null;
  provinceCode: string | null;
}

interface Session {
  me: Me | null;
  ready: boolean;
  signInWithPassword(login: string, password: string): Promise<boolean>;
  signInWithToken(token: string): Promise<boolean>;
  signOut(): Promise<void>;
  has(...roles: Role[]): boolean;
}

const SessionContext = createContext<Session | null>(null);
const TOKEN_KEY = 'tieuchi.token';

function decodeClaims(token: string): Me | null {
  try {
    const payload = token.split('.')[1];
    if (!payload) return null;
    // atob yields one char per byte; the claims are UTF-8 (Vietnamese names), so decode the bytes.
    const bytes = Uint8Array.from(atob(payload.replace(/-/g, '+').replace(/_/g, '/')), (char) => char.charCodeAt(0));
    const json = JSON.parse(new TextDecoder().decode(bytes)) as Record<string, unknown>;
    if (typeof json['sub'] !== 'string' || !Array.isArray(json['roles'])) return null;
    if (typeof json['exp'] === 'number' && json['exp'] * 1000 < Date.now()) return null;
    return {
      id: json['sub'],
      name: typeof json['name'] === 'string' ? json['name'] : json['sub'],
      roles: json['roles'] as Role[],
      unitCode: typeof json['unit'] === 'string' ? json['unit'] : null,
      provinceCode: typeof json['province'] === 'string' ? json['province'] : null,
    };
  } catch {
    return null;
  }
}

/**
 * Who is signed in. Two ways in: an account (POST /auth/sign-in → httpOnly session cookie plus a
 * CSRF token for writes; GET /me on reload) or, in the embedded mode, a bearer token from
 * `npm run token`, kept for the browser tab only. The server decides every permission; the roles
 * here only choose which screens and buttons to show.
 */
export function SessionProvider({ children }: { children: ReactNode }) {
  const [me, setMe] = useState<Me | null>(null);
  const [ready, setReady] = useState(false);

  useEffect(() => {
    const token = sessionStorage.getItem(TOKEN_KEY);
    const claims = token ? decodeClaims(token) : null;
    if (token && claims) {
      credentials.token = token;
      setMe(claims);
      setReady(true);
      return;
    }
    fetch('/me', { headers: { Accept: 'application/json' }, credentials: 'same-origin' })
      .then(async (response) => {
        if (!response.ok) return;
        const body = (await response.json()) as Me & { csrfToken?: string };
        credentials.csrfToken = body.csrfToken ?? null;
        setMe({ id: body.id, name: body.name, roles: body.roles, unitCode: body.unitCode, provinceCode: body.provinceCode });
      })
      .catch(() => undefined)
      .finally(() => setReady(true));
  }, []);

  const signInWithToken = useCallback(async (token: string) => {
    const claims = decodeClaims(token.trim());
    if (!claims) return false;
    // Ask the server once, so an expired or foreign token is refused here rather than on the first screen.
    const probe = await fetch('/review-queue', { headers: { Authorization: `Bearer ${token.trim()}`, Accept: 'application/json' } });
    if (probe.status === 401) return false;
    sessionStorage.setItem(TOKEN_KEY, token.trim());
    credentials.token = token.trim();
    setMe(claims);
    return true;
  }, []);

  const signInWithPassword = useCallback(async (login: string, password: string) => {
    const response = await fetch('/auth/sign-in', {
      method: 'POST',
      headers: { 'Content-Type': 'application/json', Accept: 'application/json' },
      credentials: 'same-origin',
      body: JSON.stringify({ login, password }),
    });
    if (!response.ok) return false;
    const body = (await response.json()) as { csrfToken: string; me: Me };
    credentials.csrfToken = body.csrfToken;
    setMe(body.me);
    return true;
  }, []);

  const signOut = useCallback(async () => {
    if (credentials.csrfToken) {
      await fetch('/auth/sign-out', { method: 'POST', headers: { 'X-CSRF-Token': credentials.csrfToken }, credentials: 'same-origin' }).catch(() => undefined);
    }
    sessionStorage.removeItem(TOKEN_KEY);
    credentials.token = null;
    credentials.csrfToken = null;
    setMe(null);
  }, []);

  const value = useMemo<Session>(
    () => ({ me, ready, signInWithPassword, signInWithToken, signOut, has: (...roles) => !!me && me.roles.some((role) => roles.includes(role)) }),
    [me, ready, signInWithPassword, signInWithToken, signOut],
  );
  return <SessionContext.Provider value={value}>{children}</SessionContext.Provider>;
}

export function useSession(): Session {
  const session = useContext(SessionContext);
  if (!session) throw new Error('useSession outside SessionProvider');
  return session;
}
