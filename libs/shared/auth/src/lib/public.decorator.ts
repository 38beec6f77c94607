import { SetMetadata } from '@nestjs/common';
import { IS_PUBLIC_KEY } from './auth-policy';

/**
 * Anyone may call the route. A token, when sent, is still verified (a bad one is a 401), so the
 * handler can tailor its answer to a signed-in caller via `@CurrentPrincipal({ optional: true })`.
 */
export const Public = (): MethodDecorator & ClassDecorator => SetMetadata(IS_PUBLIC_KEY, true);
