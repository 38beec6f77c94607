import { SetMetadata } from '@nestjs/common';
import { IS_AUTHENTICATED_KEY } from './auth-policy';

/** Any signed-in account may call the route, with or without role grants (who am I, sign out, own tokens). */
export const Authenticated = (): MethodDecorator & ClassDecorator => SetMetadata(IS_AUTHENTICATED_KEY, true);
