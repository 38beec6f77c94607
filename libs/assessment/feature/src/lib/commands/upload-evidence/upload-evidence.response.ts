import { ApiProperty } from '@nestjs/swagger';

/** An uploaded evidence file; name it in a criterion's score as `evidence: [{ id }]`. */
export class EvidenceUploadResponse {
  @ApiProperty({ format: 'uuid', description: 'pass as evidence[].id when scoring a criterion' })
  id!: string;

  @ApiProperty({ example: 'Quyết định 12-QĐ-UBND.pdf', description: 'the file name exactly as uploaded' })
  name!: string;

  @ApiProperty({ example: 183204 })
  size!: number;

  @ApiProperty({ example: 'application/pdf', description: 'decided from the bytes, not from the name' })
  mediaType!: string;

  @ApiProperty({ pattern: '^[0-9a-f]{64}$' })
  sha256!: string;

  @ApiProperty({ example: '/periods/daknong-2019/assessments/24728/evidence/3f…', description: 'where the file is downloaded' })
  href!: string;

  @ApiProperty({ format: 'date-time' })
  uploadedAt!: string;
}
