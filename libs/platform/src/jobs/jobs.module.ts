import { DynamicModule, Module } from '@nestjs/common';
import { DiscoveryModule } from '@nestjs/core';
import { BullMqJobRunner } from './bullmq.job-runner';
import { JobExecutor } from './job-executor';
import { JobHandlerRegistry } from './job-handler.registry';
import { JobRunner } from './job-runner';
import { InProcessJobRunner } from './in-process.job-runner';
import { JOBS_OPTIONS, resolveJobsOptions, type JobsOptions } from './jobs.types';

/** The job port: `JobRunner` on BullMQ when `redisUrl` is set, in-process otherwise. Imported by PlatformModule. */
@Module({})
export class JobsModule {
  static forRoot(options: JobsOptions = {}): DynamicModule {
    const opts = resolveJobsOptions(options);
    return {
      module: JobsModule,
      imports: [DiscoveryModule],
      providers: [
        { provide: JOBS_OPTIONS, useValue: opts },
        JobHandlerRegistry,
        JobExecutor,
        { provide: JobRunner, useClass: opts.redisUrl ? BullMqJobRunner : InProcessJobRunner },
      ],
      exports: [JobRunner],
    };
  }
}
