import { ApiProperty } from '@nestjs/swagger';
import { Matches } from 'class-validator';

export class ProjectionIdParams {
  @ApiProperty({ example: 'audit-trail' })
  @Matches(/^[a-z][a-z0-9-]{0,63}$/, { message: 'projectionId must be lower-case letters, digits and dashes' })
  projectionId!: string;
}
