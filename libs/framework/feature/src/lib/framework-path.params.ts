import { ApiProperty } from '@nestjs/swagger';
import { Matches } from 'class-validator';

// Framework ids end up in stream names: a plain, bounded alphabet (as config/frameworks/*.yaml use).
export const frameworkIdPattern = /^[a-z0-9][a-z0-9-]{0,63}$/;
export const frameworkIdMessage = 'frameworkId must be lower-case letters, digits and dashes';

export class FrameworkPathParams {
  @ApiProperty({ example: '2392-2017' })
  @Matches(frameworkIdPattern, { message: frameworkIdMessage })
  frameworkId!: string;
}

export class FrameworkVersionPathParams extends FrameworkPathParams {
  @ApiProperty({ example: '1', description: 'a published version of the framework' })
  @Matches(/^[1-9][0-9]{0,5}$/, { message: 'version must be a positive whole number' })
  version!: string;
}
