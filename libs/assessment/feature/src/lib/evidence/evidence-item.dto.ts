import { ApiPropertyOptional } from '@nestjs/swagger';
import { IsString, IsUUID, MaxLength, MinLength, ValidateIf } from 'class-validator';

/**
 * One piece of evidence of an answer: an uploaded file by the id its upload answered, or (for a
 * document that exists on paper only) a reference in words. Exactly one of the two.
 */
export class EvidenceItemDto {
  @ApiPropertyOptional({ format: 'uuid', description: 'the id answered by POST …/evidence' })
  @ValidateIf((item: EvidenceItemDto) => item.reference === undefined || item.id !== undefined)
  @IsUUID()
  id?: string;

  @ApiPropertyOptional({ example: 'Quyết định 12/QĐ-UBND (bản giấy)', description: 'a document named in words, when no file is uploaded' })
  @ValidateIf((item: EvidenceItemDto) => item.id === undefined)
  @IsString()
  @MinLength(1)
  @MaxLength(500)
  reference?: string;
}
