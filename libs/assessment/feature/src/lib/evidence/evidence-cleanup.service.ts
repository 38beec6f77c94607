import { Inject, Injectable, Logger, type OnApplicationBootstrap, type OnApplicationShutdown, Optional } from '@nestjs/common';
import { APP_CONFIG, CLOCK, type Clock, EVIDENCE_STORAGE, type ProjectionHostOptions } from '@tieuchi/shared/application';
import type { AppConfig } from '@tieuchi/shared/config';
import type { EvidenceStorage } from '@tieuchi/shared/evidence-storage';
import { ASSESSMENT_VIEWS_OPTIONS } from '../projections/assessment-summary/assessment-summary.projection';
import { EvidenceUploads } from './evidence-uploads.repository';

const everyHour = 3_600_000;

/**
 * Deletes uploads that no score ever named, EVIDENCE_UNATTACHED_HOURS (default 24) after they were
 * uploaded, checking once an hour where the worker's part runs. Attached files are never deleted:
 * a file is marked attached before the event naming it is appended, and bytes still named by any
 * other upload record stay.
 */
@Injectable()
export class EvidenceCleanup implements OnApplicationBootstrap, OnApplicationShutdown {
  private readonly logger = new Logger('EvidenceCleanup');
  private timer: NodeJS.Timeout | null = null;

  constructor(
    private readonly uploads: EvidenceUploads,
    @Inject(EVIDENCE_STORAGE) private readonly storage: EvidenceStorage,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
    @Inject(CLOCK) private readonly clock: Clock,
    @Optional() @Inject(ASSESSMENT_VIEWS_OPTIONS) private readonly options?: ProjectionHostOptions,
  ) {}

  onApplicationBootstrap(): void {
    if (this.options?.runProjections === false) return;
    this.timer = setInterval(() => {
      this.runOnce().catch((error: unknown) => this.logger.error(error));
    }, everyHour);
    this.timer.unref();
  }

  onApplicationShutdown(): void {
    if (this.timer) clearInterval(this.timer);
  }

  /** Removes what has expired now; returns how many upload records went. */
  async runOnce(): Promise<number> {
    const before = new Date(this.clock.now().getTime() - this.config.evidence.unattachedRetentionHours * 3_600_000);
    const removed = await this.uploads.removeUnattached(before, (sha256) => this.storage.remove(sha256));
    if (removed > 0) this.logger.log(`removed ${removed} evidence uploads never attached to a criterion`);
    return removed;
  }
}
