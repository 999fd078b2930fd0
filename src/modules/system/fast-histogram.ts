/** A histogram series bound to one label set: `observe` is a few additions, no label hashing. */
export interface HistogramChild {
  observe(value: number): void;
}

/** One exported line, in prom-client's metric shape. */
export interface HistogramValue {
  labels: Record<string, string | number>;
  sharedLabels?: Record<string, string | number>;
  value: number;
  metricName: string;
}

export interface HistogramSnapshot {
  name: string;
  help: string;
  type: 'histogram';
  aggregator: 'sum';
  values: HistogramValue[];
}

interface Series {
  labels: Record<string, string | number>;
  /** Per-bucket (not cumulative) counts, one slot per upper bound. */
  counts: Float64Array;
  sum: number;
  count: number;
}

/**
 * A Prometheus histogram for the request path, registered in prom-client's registry and exported
 * in exactly its text format (`_bucket{le}`, `_sum`, `_count`). prom-client's own `observe`
 * validates and hashes the label object on every call, bound children included, which cost ~1 µs
 * per observation and the gateway observes ~17 times per request. Here a label set is resolved
 * once (`labels()`), or looked up by one joined string (`observe(labels, v)`).
 */
export class FastHistogram<L extends string> {
  readonly type = 'histogram' as const;
  readonly aggregator = 'sum' as const;
  private readonly upperBounds: Float64Array;
  private readonly series = new Map<string, Series>();

  constructor(
    readonly name: string,
    readonly help: string,
    private readonly labelNames: readonly L[],
    buckets: readonly number[],
  ) {
    this.upperBounds = Float64Array.from([...buckets].sort((a, b) => a - b));
  }

  /** The series of one label set, resolved once; keep it for the hot path. */
  labels(labels: Partial<Record<L, string | number>>): HistogramChild {
    const series = this.seriesOf(labels);
    return { observe: (value: number) => this.add(series, value) };
  }

  observe(labels: Partial<Record<L, string | number>>, value: number): void {
    this.add(this.seriesOf(labels), value);
  }

  /** prom-client's metric shape, labels merged (`register.getMetricsAsJSON`). */
  get(): Promise<HistogramSnapshot> {
    return Promise.resolve(this.collectValues(false));
  }

  /**
   * What the registry prints for `/metrics`: like prom-client's histograms, `le` first and the
   * series labels as `sharedLabels`, so the text output is the same line for line.
   */
  getForPromString(): Promise<HistogramSnapshot> {
    return Promise.resolve(this.collectValues(true));
  }

  private collectValues(shared: boolean): HistogramSnapshot {
    const values: HistogramValue[] = [];
    const bucketName = `${this.name}_bucket`;
    const entry = (
      labels: Record<string, string | number>,
      series: Series,
      value: number,
      metricName: string,
    ): HistogramValue =>
      shared
        ? { labels, sharedLabels: series.labels, value, metricName }
        : { labels: { ...labels, ...series.labels }, value, metricName };
    for (const series of this.series.values()) {
      let cumulative = 0;
      for (let i = 0; i < this.upperBounds.length; i++) {
        cumulative += series.counts[i] as number;
        values.push(entry({ le: this.upperBounds[i] as number }, series, cumulative, bucketName));
      }
      values.push(
        entry({ le: '+Inf' }, series, series.count, bucketName),
        entry({}, series, series.sum, `${this.name}_sum`),
        entry({}, series, series.count, `${this.name}_count`),
      );
    }
    return {
      name: this.name,
      help: this.help,
      type: 'histogram',
      aggregator: this.aggregator,
      values,
    };
  }

  /** Zeroes every series in place (bound children keep working). */
  reset(): void {
    for (const series of this.series.values()) {
      series.counts.fill(0);
      series.sum = 0;
      series.count = 0;
    }
  }

  private seriesOf(labels: Partial<Record<L, string | number>>): Series {
    let key = '';
    for (const name of this.labelNames) key += `${labels[name] ?? ''}\u0001`;
    let series = this.series.get(key);
    if (!series) {
      const own: Record<string, string | number> = {};
      for (const name of this.labelNames) {
        const value = labels[name];
        if (value !== undefined) own[name] = value;
      }
      series = { labels: own, counts: new Float64Array(this.upperBounds.length), sum: 0, count: 0 };
      this.series.set(key, series);
    }
    return series;
  }

  private add(series: Series, value: number): void {
    if (!Number.isFinite(value)) return;
    series.sum += value;
    series.count += 1;
    const bounds = this.upperBounds;
    for (let i = 0; i < bounds.length; i++) {
      if (value <= (bounds[i] as number)) {
        series.counts[i] = (series.counts[i] as number) + 1;
        return;
      }
    }
  }
}
