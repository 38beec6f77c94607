import { applyDecorators } from '@nestjs/common';
import { ApiPropertyOptional } from '@nestjs/swagger';
import { IsOptional, Matches } from 'class-validator';

/**
 * The `after` query parameter of a read-your-writes query: the `position` a command answered. Its
 * shape is checked here (400 naming `after`); a position of another store is refused by ReadAfter.
 */
export function ReadAfterPosition(description = "a command's position: answer once the view shows that write (read-your-writes)"): PropertyDecorator {
  return applyDecorators(
    ApiPropertyOptional({ description }),
    IsOptional(),
    Matches(/^[A-Za-z0-9:._-]{1,200}$/, { message: 'after must be a position returned by a command' }),
  );
}

/** The query of a read that takes nothing but `after`. */
export class ReadAfterQueryDto {
  @ReadAfterPosition()
  after?: string;
}
