type LabelValues<L extends string> = Partial<Record<L, string | number>>;

/** A counter series bound to one label set: `inc` is one addition. */
export interface CounterChild {
  inc(value?: number): void;
}

/** One exported line, in prom-client's metric shape. */
export interface CounterValue {
  labels: Record<string, string | number>;
  value: number;
}

export interface CounterSnapshot {
  name: string;
  help: string;
  type: 'counter';
  aggregator: 'sum';
  values: CounterValue[];
}

interface Series {
  labels: Record<string, string | number>;
  value: number;
  /** Set when `reset()` dropped the series; a bound child then resolves its label set again. */
  dropped: boolean;
}

/** Label value → next level (a Map) or, after the last label, the series. */
type Level = Map<string | undefined, Level | Series>;

/**
 * A Prometheus counter for the request path, registered in prom-client's registry and exported in
 * exactly its format (same lines, same order: series in order of first use, labels in the order of
 * the first call's object). prom-client's `inc` builds a hash string from the label object and
 * validates its names on every call (~1 µs; the gateway increments ~5 counters per request). Here a
 * label set is found through one Map per label name, without building a string, and label names are
 * validated when a label set is first seen. Values are checked like prom-client's (finite, not
 * negative).
 */
export class FastCounter<L extends string> {
  readonly type = 'counter' as const;
  readonly aggregator = 'sum' as const;
  private root: Level = new Map();
  /** Every series, in order of first use (prom-client's output order). */
  private series: Series[] = [];

  constructor(
    /** Not readonly: prom-client's registry renames counters for OpenMetrics output. */
    public name: string,
    readonly help: string,
    private readonly labelNames: readonly L[],
  ) {
    this.reset();
  }

  inc(labels?: LabelValues<L> | number, value?: number): void {
    if (typeof labels === 'object' && labels !== null) {
      add(this.seriesOf(labels), value);
    } else {
      add(this.seriesOf({}), labels);
    }
  }

  /** The series of one label set (an object, or the values in label-name order), resolved once. */
  labels(...args: (LabelValues<L> | string | number)[]): CounterChild {
    const first = args[0];
    let labels: LabelValues<L> = {};
    if (typeof first === 'object' && first !== null) labels = first;
    else this.labelNames.forEach((name, i) => (labels[name] = args[i] as string | number | undefined));
    let series = this.seriesOf(labels);
    return {
      inc: (value?: number) => {
        if (series.dropped) series = this.seriesOf(labels);
        add(series, value);
      },
    };
  }

  get(): Promise<CounterSnapshot> {
    return Promise.resolve({
      help: this.help,
      name: this.name,
      type: this.type,
      values: this.series.map((s) => ({ value: s.value, labels: s.labels })),
      aggregator: this.aggregator,
    });
  }

  /** Drops every series, like prom-client (a counter without labels restarts at a `0` line). */
  reset(): void {
    for (const series of this.series) series.dropped = true;
    this.root = new Map();
    this.series = [];
    if (this.labelNames.length === 0) this.seriesOf({});
  }

  private seriesOf(labels: LabelValues<L>): Series {
    const names = this.labelNames;
    if (names.length === 0) {
      const only = this.series[0];
      if (only && Object.keys(labels).length === 0) return only;
      return this.create(labels, undefined, undefined);
    }
    let level = this.root;
    const last = names.length - 1;
    for (let i = 0; i < last; i++) {
      const value = keyOf(labels[names[i] as L]);
      let next = level.get(value) as Level | undefined;
      if (!next) {
        next = new Map();
        level.set(value, next);
      }
      level = next;
    }
    const value = keyOf(labels[names[last] as L]);
    return (level.get(value) as Series | undefined) ?? this.create(labels, level, value);
  }

  private create(labels: LabelValues<L>, level: Level | undefined, key: string | undefined): Series {
    const own: Record<string, string | number> = {};
    for (const name of Object.keys(labels)) {
      if (!this.labelNames.includes(name as L)) {
        throw new Error(
          `Added label "${name}" is not included in initial labelset: ${this.labelNames.join(', ')}`,
        );
      }
      own[name] = labels[name as L] as string | number;
    }
    const series: Series = { labels: own, value: 0, dropped: false };
    level?.set(key, series);
    this.series.push(series);
    return series;
  }
}

/** prom-client counts `200` and `'200'` as one label value: so does the lookup. */
function keyOf(value: string | number | undefined): string | undefined {
  return typeof value === 'number' ? String(value) : value;
}

function add(series: Series, value: number | undefined): void {
  if (value && !Number.isFinite(value)) throw new TypeError(`Value is not a valid number: ${value}`);
  if (value !== undefined && value < 0) throw new Error('It is not possible to decrease a counter');
  series.value += value ?? 1;
}
