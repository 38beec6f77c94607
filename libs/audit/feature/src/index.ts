export * from './lib/audit-feature.module';
export * from './lib/audit-trail.query';
export * from './lib/projections/audit-trail/audit-trail.projection';
export * from './lib/projections/audit-trail/audit-trail-projection.host';
