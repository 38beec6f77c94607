import { ApiProperty } from '@nestjs/swagger';
import type { FrameworkAmendment, FrameworkDefinition } from '@tieuchi/framework/domain';
import { FrameworkAmendmentDto } from '@tieuchi/framework/data-access';
import { FrameworkDefinitionDto } from './framework-definition.dto';
import type { FrameworkVersionResource, FrameworkVersionSummary, FrameworkVersionView, FrameworkView } from './get-framework.query';

const definitionProperty = { type: FrameworkDefinitionDto } as const;

export class FrameworkVersionSummaryDto implements FrameworkVersionSummary {
  @ApiProperty({ type: 'integer' }) readonly version!: number;
  @ApiProperty({ format: 'date-time' }) readonly effectiveAt!: string;
  @ApiProperty() readonly by!: string;
  @ApiProperty({ type: String, nullable: true }) readonly decisionReference!: string | null;
  @ApiProperty({ type: String, nullable: true, description: 'why the version was amended; null for the first' }) readonly cause!: string | null;
}

export class FrameworkVersionViewDto implements FrameworkVersionView {
  @ApiProperty({ type: 'integer' }) readonly frameworkVersion!: number;
  @ApiProperty({ format: 'date-time' }) readonly effectiveAt!: string;
  @ApiProperty() readonly by!: string;
  @ApiProperty({ type: String, nullable: true }) readonly decisionReference!: string | null;
  @ApiProperty({ type: FrameworkAmendmentDto, nullable: true, description: 'the amendment that made this version; null for the first' }) readonly amendment!: FrameworkAmendment | null;
  @ApiProperty(definitionProperty) readonly definition!: FrameworkDefinition;
}

export class FrameworkDraftDto {
  @ApiProperty(definitionProperty) readonly definition!: FrameworkDefinition;
  @ApiProperty({ format: 'date-time' }) readonly draftedAt!: string;
  @ApiProperty() readonly draftedBy!: string;
}

export class FrameworkViewDto implements FrameworkView {
  @ApiProperty({ example: 'daknong-2019' }) readonly frameworkId!: string;
  @ApiProperty({ enum: ['draft', 'published'] }) readonly status!: 'draft' | 'published';
  @ApiProperty({ type: 'integer', description: 'the stream version (ETag); framework versions are current.frameworkVersion and versions' }) readonly version!: number;
  @ApiProperty({ type: FrameworkVersionViewDto, nullable: true, description: 'null while only drafted' }) readonly current!: FrameworkVersionViewDto | null;
  @ApiProperty({ type: FrameworkDraftDto, nullable: true, description: 'null once published' }) readonly draft!: FrameworkDraftDto | null;
  @ApiProperty({ type: [FrameworkVersionSummaryDto] }) readonly versions!: FrameworkVersionSummaryDto[];
}

export class FrameworkVersionResourceDto extends FrameworkVersionViewDto implements FrameworkVersionResource {
  @ApiProperty({ example: 'daknong-2019' }) readonly frameworkId!: string;
  @ApiProperty({ type: 'integer', description: 'the stream version (ETag)' }) readonly version!: number;
}
