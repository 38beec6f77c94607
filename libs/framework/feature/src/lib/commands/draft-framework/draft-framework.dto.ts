import { ApiProperty } from '@nestjs/swagger';
import { IsObject, Matches } from 'class-validator';
import { frameworkIdMessage, frameworkIdPattern } from '../../framework-path.params';

/**
 * A framework definition as JSON (config/frameworks/*.yaml parsed). Its shape is checked by the
 * framework's JSON Schema in the decider, whose errors name the path (`definition.tiers[0]…`).
 */
export class DraftFrameworkDto {
  @ApiProperty({ example: '2392-2017' })
  @Matches(frameworkIdPattern, { message: frameworkIdMessage })
  frameworkId!: string;

  @ApiProperty({ type: 'object', additionalProperties: true, description: 'the framework definition (see the framework JSON Schema)' })
  @IsObject()
  definition!: Record<string, unknown>;
}
