/**
 * A small typed InfluxQL builder, and the Grafana query object that carries it.
 *
 * The foundation SDK ships no InfluxDB query type, so `InfluxQLQueryBuilder` implements its
 * `cog.Builder<cog.Dataquery>` contract and emits Grafana's raw InfluxQL target:
 * `{ refId, query, rawQuery: true, resultFormat }`. `select()` builds the statement with the
 * measurement's fields and tags typed from metrics-schema.ts, so panels cannot query a field the
 * sink never writes.
 */
import type { Builder, Dataquery } from '@grafana/grafana-foundation-sdk/cog';
import type { DataSourceRef } from '@grafana/grafana-foundation-sdk/common';
import type { FieldOf, Measurement, TagOf } from './metrics-schema.js';

export type ResultFormat = 'time_series' | 'table' | 'logs';

export interface InfluxQLQuery extends Dataquery {
  refId?: string;
  hide?: boolean;
  datasource?: DataSourceRef;
  query: string;
  rawQuery: true;
  resultFormat: ResultFormat;
  /** Series naming, e.g. `$tag_device`. */
  alias?: string;
}

export class InfluxQLQueryBuilder implements Builder<Dataquery> {
  private readonly internal: InfluxQLQuery;

  constructor(query: string | SelectBuilder<Measurement>) {
    this.internal = {
      query: typeof query === 'string' ? query : query.toString(),
      rawQuery: true,
      resultFormat: 'time_series',
      // cog's marker that this object is a Dataquery variant; JSON.stringify drops functions.
      _implementsDataqueryVariant() {},
    };
  }

  build(): InfluxQLQuery {
    return this.internal;
  }

  refId(refId: string): this {
    this.internal.refId = refId;
    return this;
  }

  hide(hide: boolean): this {
    this.internal.hide = hide;
    return this;
  }

  datasource(datasource: DataSourceRef): this {
    this.internal.datasource = datasource;
    return this;
  }

  resultFormat(format: ResultFormat): this {
    this.internal.resultFormat = format;
    return this;
  }

  alias(alias: string): this {
    this.internal.alias = alias;
    return this;
  }
}

export type Aggregate = 'mean' | 'min' | 'max' | 'sum' | 'count' | 'last' | 'first' | 'median' | 'spread';

/** Double-quoted identifier, as InfluxQL wants for names with dots, spaces or keywords. */
export function ident(name: string): string {
  return `"${name.replaceAll('\\', '\\\\').replaceAll('"', '\\"')}"`;
}

/** Single-quoted string literal. */
export function literal(value: string): string {
  return `'${value.replaceAll('\\', '\\\\').replaceAll("'", "\\'")}'`;
}

type Source<M extends Measurement> =
  { kind: 'measurement'; measurement: M; rp?: string } | { kind: 'subquery'; inner: SelectBuilder<Measurement> };

export class SelectBuilder<M extends Measurement> {
  private readonly fields: string[] = [];
  private readonly conditions: string[] = [];
  private readonly groups: string[] = [];
  private window = '$timeFilter';
  private groupTime: string | undefined;
  private fillMode: string | undefined;
  private limitN: number | undefined;

  constructor(private readonly source: Source<M>) {
    // A subquery's rows keep their own timestamps (last() of a state written days ago), so the
    // outer query must look back as far as the inner one or it filters those rows out again.
    if (source.kind === 'subquery') this.window = source.inner.window;
  }

  /** `fn("field")` with optional math after it (`* 100`) and an alias. */
  agg(fn: Aggregate, field: FieldOf<M>, opts: { as?: string; math?: string } = {}): this {
    const math = opts.math ? ` ${opts.math}` : '';
    return this.raw(`${fn}(${ident(field)})${math}`, opts.as ?? field);
  }

  /** The field itself (no aggregate): for raw points and annotation queries. */
  field(field: FieldOf<M>, as?: string): this {
    return this.raw(ident(field), as);
  }

  /** A tag as a column (beside at least one field): annotation tags, table columns. */
  tagColumn(tag: TagOf<M>, as?: string): this {
    return this.raw(ident(tag), as);
  }

  /** A free expression, for subquery columns and arithmetic between aggregates. */
  raw(expression: string, as?: string): this {
    this.fields.push(as ? `${expression} AS ${ident(as)}` : expression);
    return this;
  }

  /** `"tag" =~ /^$var$/`: how a Grafana multi-value or All variable filters InfluxQL. */
  tagMatchesVar(tag: TagOf<M>, variable: string): this {
    return this.whereRaw(`${ident(tag)} =~ /^$${variable}$/`);
  }

  tagEquals(tag: TagOf<M>, value: string): this {
    return this.whereRaw(`${ident(tag)} = ${literal(value)}`);
  }

  /** Matches any of `values` exactly (a regex alternation). */
  tagIn(tag: TagOf<M>, values: readonly string[]): this {
    const alt = values.map((v) => v.replace(/[.*+?^${}()|[\]\\/]/g, '\\$&')).join('|');
    return this.whereRaw(`${ident(tag)} =~ /^(${alt})$/`);
  }

  whereRaw(condition: string): this {
    this.conditions.push(condition);
    return this;
  }

  /** Replaces the dashboard time range with a fixed look-back, e.g. `24h` for "change in 24 h". */
  lookBack(duration: string): this {
    this.window = `time > now() - ${duration}`;
    return this;
  }

  groupByTime(interval = '$__interval'): this {
    this.groupTime = interval;
    return this;
  }

  groupBy(...tags: TagOf<M>[]): this {
    this.groups.push(...tags.map(ident));
    return this;
  }

  fill(mode: 'none' | 'null' | 'previous' | 'linear' | number): this {
    this.fillMode = String(mode);
    return this;
  }

  limit(n: number): this {
    this.limitN = n;
    return this;
  }

  toString(): string {
    if (this.fields.length === 0) throw new Error('InfluxQL select without fields');
    const from =
      this.source.kind === 'measurement'
        ? (this.source.rp ? `${ident(this.source.rp)}.` : '') + ident(this.source.measurement)
        : `(${this.source.inner.toString()})`;
    const where = [this.window, ...this.conditions].join(' AND ');
    const group = [...(this.groupTime ? [`time(${this.groupTime})`] : []), ...this.groups];
    return [
      `SELECT ${this.fields.join(', ')}`,
      `FROM ${from}`,
      `WHERE ${where}`,
      ...(group.length > 0 ? [`GROUP BY ${group.join(', ')}`] : []),
      ...(this.fillMode !== undefined ? [`fill(${this.fillMode})`] : []),
      ...(this.limitN !== undefined ? [`LIMIT ${this.limitN}`] : []),
    ].join(' ');
  }
}

/** Start a SELECT on a measurement of the pantau schema (optionally in a retention policy). */
export function select<M extends Measurement>(measurement: M, opts: { rp?: string } = {}): SelectBuilder<M> {
  return new SelectBuilder<M>({ kind: 'measurement', measurement, ...(opts.rp ? { rp: opts.rp } : {}) });
}

/**
 * SELECT over a subquery: the columns are the inner aliases and the inner GROUP BY tags, which
 * the schema cannot type, so the outer query speaks `raw()` and tags of the inner measurement.
 */
export function selectFrom<M extends Measurement>(inner: SelectBuilder<M>): SelectBuilder<M> {
  return new SelectBuilder<M>({ kind: 'subquery', inner });
}

/** Grafana target for a built statement. */
export function influxql(query: string | SelectBuilder<Measurement>): InfluxQLQueryBuilder {
  return new InfluxQLQueryBuilder(query);
}
