/** What the writer says about one member of a group: its result, or the error that member gets. */
export type GroupOutcome<TResult> = { readonly ok: true; readonly value: TResult } | { readonly ok: false; readonly error: unknown };

export interface WriteGroupOptions<TRequest, TResult> {
  /**
   * Writes the members together (one statement, one commit) and returns one outcome per member,
   * in their order. Throwing fails every member with that error.
   */
  readonly write: (members: readonly TRequest[]) => Promise<readonly GroupOutcome<TResult>[]>;
  /** Members that may not share a group (e.g. two appends to one stream) get the same key. */
  readonly keyOf: (member: TRequest) => string;
  /** The most members one write takes. */
  readonly maxMembers: number;
}

interface Waiting<TRequest, TResult> {
  readonly request: TRequest;
  readonly resolve: (value: TResult) => void;
  readonly reject: (error: unknown) => void;
}

/**
 * Group commit: one write at a time, and whatever arrives while it runs goes into the next one.
 * A lone request is written at once, so nothing waits on a timer; under load the requests that
 * queue behind a write share one statement and one commit instead of each taking a round trip, a
 * connection and a WAL flush of their own.
 */
export class WriteGroup<TRequest, TResult> {
  private readonly waiting: Waiting<TRequest, TResult>[] = [];
  private writing = false;

  constructor(private readonly options: WriteGroupOptions<TRequest, TResult>) {}

  submit(request: TRequest): Promise<TResult> {
    return new Promise<TResult>((resolve, reject) => {
      this.waiting.push({ request, resolve, reject });
      if (!this.writing) void this.writeNext();
    });
  }

  private async writeNext(): Promise<void> {
    this.writing = true;
    try {
      while (this.waiting.length > 0) {
        const members = this.takeGroup();
        let outcomes: readonly GroupOutcome<TResult>[];
        try {
          outcomes = await this.options.write(members.map((member) => member.request));
          if (outcomes.length !== members.length) throw new Error(`A group write returned ${outcomes.length} outcomes for ${members.length} members`);
        } catch (error) {
          outcomes = members.map(() => ({ ok: false, error }));
        }
        members.forEach((member, index) => {
          const outcome = outcomes[index] as GroupOutcome<TResult>;
          if (outcome.ok) member.resolve(outcome.value);
          else member.reject(outcome.error);
        });
      }
    } finally {
      this.writing = false;
    }
  }

  /** The oldest waiting requests, in order, at most one per key; the others keep their place. */
  private takeGroup(): Waiting<TRequest, TResult>[] {
    const group: Waiting<TRequest, TResult>[] = [];
    const keys = new Set<string>();
    for (let index = 0; index < this.waiting.length && group.length < this.options.maxMembers; ) {
      const candidate = this.waiting[index] as Waiting<TRequest, TResult>;
      const key = this.options.keyOf(candidate.request);
      if (keys.has(key)) {
        index += 1;
        continue;
      }
      keys.add(key);
      group.push(candidate);
      this.waiting.splice(index, 1);
    }
    return group;
  }
}
