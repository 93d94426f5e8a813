import type { Builder, Dataquery } from '@grafana/grafana-foundation-sdk/cog';
import type { DataSourceRef } from '@grafana/grafana-foundation-sdk/common';

/** The official ClickHouse plugin (grafana/clickhouse-datasource) and the data source the provisioning file creates. */
export const PLUGIN_ID = 'grafana-clickhouse-datasource';
export const DATASOURCE_UID = 'siftlog-clickhouse';
/** Panels name the data source through the dashboard variable, so an imported dashboard can point at another one. */
export const DATASOURCE: DataSourceRef = { type: PLUGIN_ID, uid: '${datasource}' };

/**
 * How the plugin's backend shapes a result (sqlutil.FormatQueryOption): 0 turns long rows (time, label, value)
 * into one series per label; 1 hands the rows over as they are.
 */
export enum ResultFormat {
  TimeSeries = 0,
  Table = 1,
}

/**
 * A query of the SQL editor as the plugin stores it in a dashboard (its `CHSqlQuery`): `editorType: 'sql'`, the
 * SQL in `rawSql`, and `format`. `queryType` only picks the Explore view.
 */
export interface ClickHouseSqlQuery {
  refId?: string;
  hide?: boolean;
  datasource: DataSourceRef;
  editorType: 'sql';
  queryType: 'timeseries' | 'table';
  format: ResultFormat;
  rawSql: string;
  _implementsDataqueryVariant(): void;
}

export class ClickHouseQueryBuilder implements Builder<Dataquery> {
  private readonly internal: ClickHouseSqlQuery;

  constructor(rawSql: string, format: ResultFormat) {
    this.internal = {
      datasource: DATASOURCE,
      editorType: 'sql',
      queryType: format === ResultFormat.TimeSeries ? 'timeseries' : 'table',
      format,
      rawSql,
      _implementsDataqueryVariant() {},
    };
  }

  refId(refId: string): this {
    this.internal.refId = refId;
    return this;
  }

  build(): ClickHouseSqlQuery {
    return this.internal;
  }
}
