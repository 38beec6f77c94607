import { Global, Inject, Injectable, Logger, Module, type OnApplicationShutdown } from '@nestjs/common';
import type { AppConfig } from '@tieuchi/shared/config';
import { EvidenceIngest, type EvidenceStorage, FileSystemEvidenceStorage, S3EvidenceStorage } from '@tieuchi/shared/evidence-storage';
import { join } from 'node:path';
import { APP_CONFIG } from './tokens';

export const EVIDENCE_STORAGE = Symbol('EVIDENCE_STORAGE');

/** The evidence storage chosen by EVIDENCE_STORAGE: files under DATA_DIR/evidence, or an S3-compatible bucket. */
export async function openEvidenceStorage(config: AppConfig): Promise<EvidenceStorage> {
  if (config.evidence.storage === 'file-system') return new FileSystemEvidenceStorage(join(config.dataDir, 'evidence'));
  const s3 = config.evidence.s3;
  if (!s3) throw new Error('S3_BUCKET, S3_ACCESS_KEY_ID and S3_SECRET_ACCESS_KEY are required for EVIDENCE_STORAGE=s3');
  const storage = new S3EvidenceStorage({ ...s3, ...(s3.endpoint === undefined ? {} : { endpoint: s3.endpoint }), prefix: s3.prefix });
  await storage.ensureBucket();
  return storage;
}

/** Uploads are staged under DATA_DIR on the way in, whichever storage keeps them. */
export function evidenceStagingDir(config: AppConfig): string {
  return join(config.dataDir, 'evidence-staging');
}

@Injectable()
class EvidenceStorageShutdown implements OnApplicationShutdown {
  private readonly logger = new Logger('EvidenceStorage');

  constructor(@Inject(EVIDENCE_STORAGE) private readonly storage: EvidenceStorage) {}

  async onApplicationShutdown(): Promise<void> {
    await this.storage.close().catch((error: unknown) => this.logger.error(error));
  }
}

@Global()
@Module({
  providers: [
    { provide: EVIDENCE_STORAGE, inject: [APP_CONFIG], useFactory: (config: AppConfig) => openEvidenceStorage(config) },
    {
      provide: EvidenceIngest,
      inject: [EVIDENCE_STORAGE, APP_CONFIG],
      useFactory: (storage: EvidenceStorage, config: AppConfig) => new EvidenceIngest(storage, evidenceStagingDir(config)),
    },
    EvidenceStorageShutdown,
  ],
  exports: [EVIDENCE_STORAGE, EvidenceIngest],
})
export class EvidenceStorageModule {}
