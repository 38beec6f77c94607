import { Controller, HttpCode, Post, Req } from '@nestjs/common';
import { CommandBus } from '@nestjs/cqrs';
import { ApiOperation, ApiTags } from '@nestjs/swagger';
import { requestContextOf } from '@tieuchi/shared/application';
import { Roles, JURISDICTION_RULES } from '@tieuchi/shared/auth';
import type { Request } from 'express';
import { ImportUnitsCommand, type ImportUnitsResult } from './import-units.command';

@ApiTags('units')
@Controller('units/import')
export class ImportUnitsController {
  constructor(private readonly commandBus: CommandBus) {}

  @Post('daknong-2019')
  @HttpCode(200)
  @Roles('admin')
  @ApiOperation({ summary: 'Register the 80 Đắk Nông units of 2019 from config/units; registered ones are skipped (administrators)', description: JURISDICTION_RULES.units })
  importDaknong2019(@Req() request: Request): Promise<ImportUnitsResult> {
    return this.commandBus.execute<ImportUnitsCommand, ImportUnitsResult>(new ImportUnitsCommand('daknong-2019', requestContextOf(request)));
  }
}
