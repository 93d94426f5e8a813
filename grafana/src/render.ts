import { PanelBuilder as BarGaugePanelBuilder } from '@grafana/grafana-foundation-sdk/bargauge';
import type { Builder } from '@grafana/grafana-foundation-sdk/cog';
import {
  BarGaugeDisplayMode, BigValueColorMode, BigValueGraphMode, BigValueTextMode, FrameGeometrySourceBuilder, FrameGeometrySourceMode,
  GraphDrawStyle, LegendDisplayMode, MapLayerOptionsBuilder,
  LegendPlacement, ReduceDataOptionsBuilder, SortOrder, StackingConfigBuilder, StackingMode, TooltipDisplayMode, VizLegendOptionsBuilder,
  VizOrientation, VizTooltipOptionsBuilder,
} from '@grafana/grafana-foundation-sdk/common';
import {
  AnnotationQueryBuilder, type Dashboard, DashboardBuilder, FieldColorBuilder, FieldColorModeId, type GridPos, DashboardCursorSync, DashboardLinkBuilder, DashboardLinkType, DatasourceVariableBuilder,
  IntervalVariableBuilder, type Panel, QueryVariableBuilder, type VariableModel, VariableRefresh, VariableSort,
} from '@grafana/grafana-foundation-sdk/dashboard';
import {
  ControlsOptionsBuilder, MapViewConfigBuilder, PanelBuilder as GeomapPanelBuilder, TooltipMode, TooltipOptionsBuilder,
} from '@grafana/grafana-foundation-sdk/geomap';
import {
  PanelBuilder as PieChartPanelBuilder, PieChartLabels, PieChartLegendOptionsBuilder, PieChartLegendValues, PieChartType,
} from '@grafana/grafana-foundation-sdk/piechart';
import { PanelBuilder as StatPanelBuilder } from '@grafana/grafana-foundation-sdk/stat';
import { PanelBuilder as TablePanelBuilder } from '@grafana/grafana-foundation-sdk/table';
import { PanelBuilder as TimeSeriesPanelBuilder } from '@grafana/grafana-foundation-sdk/timeseries';
import type { DashboardSpec, PanelShape, PanelSpec } from './panel-spec.js';
import { ClickHouseQueryBuilder, DATASOURCE, DATASOURCE_UID, PLUGIN_ID, ResultFormat } from './query.js';
import { DB } from './sql.js';

/** The dashboards' tag: the provider's folder and the links between the dashboards use it. */
export const TAG = 'siftlog';

/** The sites to choose from: every site the hourly trend table has rows for. */
export const SITE_VARIABLE_SQL = `SELECT DISTINCT site FROM ${DB}.traffic_hourly ORDER BY site`;

/** Bucket sizes of the time series; `auto` picks one from the time range and the panel's width. */
export const PERIODS = ['1h', '1d', '7d', '30d'] as const;

function variables(): Builder<VariableModel>[] {
  return [
    new DatasourceVariableBuilder('datasource')
      .label('Data source')
      .type(PLUGIN_ID)
      .current({ text: 'siftlog', value: DATASOURCE_UID }),
    new QueryVariableBuilder('site')
      .label('Site')
      .datasource(DATASOURCE)
      .query({ refId: 'site', queryType: 'sql', editorType: 'sql', rawSql: SITE_VARIABLE_SQL })
      .definition(SITE_VARIABLE_SQL)
      .refresh(VariableRefresh.OnDashboardLoad)
      .sort(VariableSort.AlphabeticalAsc)
      .multi(true)
      .includeAll(true),
    new IntervalVariableBuilder('period')
      .label('Period')
      .description('Size of a time-series bucket. Days and hours are UTC, like the tables; 7d and 30d are fixed lengths, not calendar weeks or months.')
      .values(PERIODS.join(','))
      .auto(true)
      .stepCount(60)
      .minInterval('1h')
      .current({ text: '1d', value: '1d' }),
  ];
}

/** Grafana's grid is 24 columns wide. */
const GRID = 24;

const DEFAULT_SIZE: Record<PanelShape['kind'], { width: number; height: number }> = {
  stat: { width: 4, height: 4 },
  timeseries: { width: 12, height: 8 },
  bargauge: { width: 8, height: 10 },
  piechart: { width: 8, height: 10 },
  geomap: { width: 16, height: 12 },
  table: { width: 12, height: 10 },
};

function query(spec: PanelSpec, format: ResultFormat): ClickHouseQueryBuilder {
  return new ClickHouseQueryBuilder(spec.sql, format).refId('A');
}

/** Every row a bar or slice, named by its label column. */
function allRows(): ReduceDataOptionsBuilder {
  return new ReduceDataOptionsBuilder().values(true).calcs([]).fields('');
}

type AnyPanelBuilder = Builder<Panel> & { id(id: number): AnyPanelBuilder; gridPos(gridPos: GridPos): AnyPanelBuilder };

function panel(spec: PanelSpec): AnyPanelBuilder {
  const shape = spec.shape;
  switch (shape.kind) {
    case 'stat':
      return new StatPanelBuilder()
        .title(spec.title).description(spec.description).datasource(DATASOURCE)
        .withTarget(query(spec, ResultFormat.Table))
        .reduceOptions(new ReduceDataOptionsBuilder().values(false).calcs(['lastNotNull']).fields(''))
        .graphMode(BigValueGraphMode.None).colorMode(BigValueColorMode.None).textMode(BigValueTextMode.Value)
        .unit(shape.unit ?? 'short').decimals(shape.decimals ?? 0);
    case 'timeseries': {
      const series = new TimeSeriesPanelBuilder()
        .title(spec.title).description(spec.description).datasource(DATASOURCE)
        .withTarget(query(spec, ResultFormat.TimeSeries))
        .interval('$period')
        .unit(shape.unit ?? 'short').min(0)
        .drawStyle(shape.bars === true ? GraphDrawStyle.Bars : GraphDrawStyle.Line)
        .fillOpacity(shape.bars === true ? 80 : 10)
        .stacking(new StackingConfigBuilder().mode(shape.stacked === true ? StackingMode.Normal : StackingMode.None))
        .legend(new VizLegendOptionsBuilder().displayMode(LegendDisplayMode.List).placement(LegendPlacement.Bottom).showLegend(true))
        .tooltip(new VizTooltipOptionsBuilder().mode(TooltipDisplayMode.Multi).sort(SortOrder.Descending));
      // Long rows come back as one field per label value; name each line by its labels, not "visits {channel=…}".
      if (shape.labels.length > 0) series.displayName(shape.labels.map((l) => `\${__field.labels.${l}}`).join(' '));
      return series;
    }
    case 'bargauge':
      return new BarGaugePanelBuilder()
        .title(spec.title).description(spec.description).datasource(DATASOURCE)
        .withTarget(query(spec, ResultFormat.Table))
        .reduceOptions(allRows())
        .orientation(VizOrientation.Horizontal).displayMode(BarGaugeDisplayMode.Basic).showUnfilled(true)
        .unit(shape.unit ?? 'short').min(0);
    case 'piechart':
      return new PieChartPanelBuilder()
        .title(spec.title).description(spec.description).datasource(DATASOURCE)
        .withTarget(query(spec, ResultFormat.Table))
        .reduceOptions(allRows())
        .pieType(PieChartType.Donut).displayLabels([PieChartLabels.Percent])
        .legend(new PieChartLegendOptionsBuilder().displayMode(LegendDisplayMode.Table).placement(LegendPlacement.Right)
          .showLegend(true).values([PieChartLegendValues.Value, PieChartLegendValues.Percent]))
        .unit(shape.unit ?? 'short');
    case 'geomap':
      // A marker per country, placed by Grafana's built-in gazetteer from the ISO code, sized and coloured by value.
      return new GeomapPanelBuilder()
        .title(spec.title).description(spec.description).datasource(DATASOURCE)
        .withTarget(query(spec, ResultFormat.Table))
        .view(new MapViewConfigBuilder().id('zero').lat(30).lon(10).zoom(1).allLayers(true))
        .controls(new ControlsOptionsBuilder().showZoom(true).mouseWheelZoom(false).showAttribution(true))
        .basemap(new MapLayerOptionsBuilder().type('default').name('Basemap'))
        .layers([new MapLayerOptionsBuilder().type('markers').name(spec.title).tooltip(true)
          .location(new FrameGeometrySourceBuilder().mode(FrameGeometrySourceMode.Lookup).lookup(shape.label)
            .gazetteer('public/gazetteer/countries.json'))
          .config({
            showLegend: true,
            style: {
              size: { field: shape.value, fixed: 5, min: 4, max: 30 },
              color: { field: shape.value },
              opacity: 0.6,
              symbol: { mode: 'fixed', fixed: 'img/icons/marker/circle.svg' },
            },
          })])
        .tooltip(new TooltipOptionsBuilder().mode(TooltipMode.Details))
        .colorScheme(new FieldColorBuilder().mode(FieldColorModeId.ContinuousBlPu))
        .unit(shape.unit ?? 'short');
    case 'table': {
      const table = new TablePanelBuilder()
        .title(spec.title).description(spec.description).datasource(DATASOURCE)
        .withTarget(query(spec, ResultFormat.Table));
      for (const column of shape.columns) {
        const properties = [{ id: 'displayName', value: column.title }];
        if (column.unit !== undefined) properties.push({ id: 'unit', value: column.unit });
        table.overrideByName(column.name, properties);
      }
      return table;
    }
  }
}

/** Where each panel sits: the spec's size or the kind's default; a run of stats without widths shares one row. */
export function layout(panels: readonly PanelSpec[]): GridPos[] {
  const sizes = panels.map((p) => ({ w: p.width ?? DEFAULT_SIZE[p.shape.kind].width, h: p.height ?? DEFAULT_SIZE[p.shape.kind].height }));
  for (let start = 0; start < panels.length;) {
    let end = start;
    while (end < panels.length && panels[end].shape.kind === 'stat' && panels[end].width === undefined) end++;
    const run = Math.min(end - start, 8);
    for (let i = start; i < end; i++) {
      const inRow = (i - start) % 8;
      sizes[i].w = Math.floor(GRID / run) + (inRow < GRID % run ? 1 : 0);
    }
    start = end > start ? end : start + 1;
  }
  const positions: GridPos[] = [];
  let x = 0;
  let y = 0;
  let rowHeight = 0;
  for (const { w, h } of sizes) {
    if (x + w > GRID) {
      x = 0;
      y += rowHeight;
      rowHeight = 0;
    }
    positions.push({ x, y, w, h });
    x += w;
    rowHeight = Math.max(rowHeight, h);
  }
  return positions;
}

export function renderDashboard(spec: DashboardSpec): Dashboard {
  const builder = new DashboardBuilder(spec.title)
    .uid(spec.uid)
    .description(spec.description)
    .tags([TAG])
    .timezone('utc')
    .weekStart('monday')
    .time({ from: 'now-30d', to: 'now' })
    .tooltip(DashboardCursorSync.Crosshair)
    .link(new DashboardLinkBuilder('siftlog').type(DashboardLinkType.Dashboards).tags([TAG]).asDropdown(false)
      .includeVars(true).keepTime(true))
    .variables(variables())
    // Grafana's own annotations (alerts, notes added by hand), as Grafana writes them into every dashboard it saves.
    .annotation(new AnnotationQueryBuilder().name('Annotations & Alerts').builtIn(1).type('dashboard')
      .datasource({ type: 'grafana', uid: '-- Grafana --' }).enable(true).hide(true).iconColor('rgba(0, 211, 255, 1)'));
  const positions = layout(spec.panels);
  for (const [i, p] of spec.panels.entries()) builder.withPanel(panel(p).id(i + 1).gridPos(positions[i]));
  const dashboard = builder.build();
  // The SDK puts links and annotation toggles in the controls menu (a placement new in Grafana 12); without one they
  // sit in the top bar, in every Grafana.
  dashboard.links = dashboard.links?.map(({ placement: _, ...link }) => link);
  if (dashboard.annotations?.list) dashboard.annotations.list = dashboard.annotations.list.map(({ placement: _, ...a }) => a);
  return dashboard;
}

/** The file a dashboard is written to, and its text: stable, so the committed file can be compared. */
export function dashboardFile(spec: DashboardSpec): { name: string; text: string } {
  return { name: `${spec.uid.replace(/^siftlog-/, '')}.json`, text: `${JSON.stringify(renderDashboard(spec), null, 2)}\n` };
}
