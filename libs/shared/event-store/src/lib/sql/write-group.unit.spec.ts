import { type GroupOutcome, WriteGroup } from './write-group';

interface Request {
  readonly key: string;
  readonly value: number;
}

/** A writer whose writes finish when the test says, recording the groups it was given. */
function controlledWriter(answer: (member: Request) => GroupOutcome<number> = (member) => ({ ok: true, value: member.value * 10 })) {
  const groups: Request[][] = [];
  const finishers: (() => void)[] = [];
  const write = (members: readonly Request[]) =>
    new Promise<readonly GroupOutcome<number>[]>((resolve) => {
      groups.push([...members]);
      finishers.push(() => resolve(members.map(answer)));
    });
  const finishNext = async () => {
    finishers.shift()?.();
    await new Promise((resolve) => setImmediate(resolve));
  };
  return { groups, write, finishNext };
}

const request = (key: string, value: number): Request => ({ key, value });

describe('WriteGroup', () => {
  it('writes a lone request at once, alone', async () => {
    const writer = controlledWriter();
    const group = new WriteGroup<Request, number>({ write: writer.write, keyOf: (r) => r.key, maxMembers: 10 });
    const answer = group.submit(request('a', 1));
    expect(writer.groups).toEqual([[request('a', 1)]]);
    await writer.finishNext();
    await expect(answer).resolves.toBe(10);
  });

  it('gathers what arrives during a write into the next write, in arrival order, at most maxMembers at a time', async () => {
    const writer = controlledWriter();
    const group = new WriteGroup<Request, number>({ write: writer.write, keyOf: (r) => r.key, maxMembers: 3 });
    const answers = ['a', 'b', 'c', 'd', 'e', 'f'].map((key, value) => group.submit(request(key, value)));
    expect(writer.groups).toHaveLength(1);
    await writer.finishNext();
    expect(writer.groups[1]?.map((r) => r.key)).toEqual(['b', 'c', 'd']);
    await writer.finishNext();
    expect(writer.groups[2]?.map((r) => r.key)).toEqual(['e', 'f']);
    await writer.finishNext();
    await expect(Promise.all(answers)).resolves.toEqual([0, 10, 20, 30, 40, 50]);
    expect(writer.groups).toHaveLength(3);
  });

  it('never puts two requests with one key in a group: the later one keeps its place for the next', async () => {
    const writer = controlledWriter();
    const group = new WriteGroup<Request, number>({ write: writer.write, keyOf: (r) => r.key, maxMembers: 10 });
    const answers = [request('first', 0), request('a', 1), request('b', 2), request('a', 3), request('c', 4)].map((r) => group.submit(r));
    await writer.finishNext();
    expect(writer.groups[1]?.map((r) => r.value)).toEqual([1, 2, 4]);
    await writer.finishNext();
    expect(writer.groups[2]?.map((r) => r.value)).toEqual([3]);
    await writer.finishNext();
    await expect(Promise.all(answers)).resolves.toEqual([0, 10, 20, 30, 40]);
  });

  it('gives each member its own outcome, and every member the error when the write throws', async () => {
    const failing = new Error('stream moved');
    const writer = controlledWriter((member) => (member.value === 2 ? { ok: false, error: failing } : { ok: true, value: member.value }));
    const group = new WriteGroup<Request, number>({ write: writer.write, keyOf: (r) => r.key, maxMembers: 10 });
    const outcomes = Promise.allSettled([1, 2, 3].map((value) => group.submit(request(String(value), value))));
    await writer.finishNext();
    await writer.finishNext();
    expect(await outcomes).toEqual([
      { status: 'fulfilled', value: 1 },
      { status: 'rejected', reason: failing },
      { status: 'fulfilled', value: 3 },
    ]);

    const broken = new Error('connection lost');
    let writes = 0;
    const throwing = new WriteGroup<Request, number>({
      write: async (members) => {
        writes += 1;
        if (writes === 1) throw broken;
        return members.map((member) => ({ ok: true, value: member.value }));
      },
      keyOf: (r) => r.key,
      maxMembers: 1,
    });
    const failedThenWritten = await Promise.allSettled([throwing.submit(request('x', 1)), throwing.submit(request('y', 2))]);
    // The first write threw for its member; the next group was still written.
    expect(failedThenWritten).toEqual([
      { status: 'rejected', reason: broken },
      { status: 'fulfilled', value: 2 },
    ]);
  });

  it('fails the members when the writer answers for the wrong number of them', async () => {
    const group = new WriteGroup<Request, number>({ write: async () => [], keyOf: (r) => r.key, maxMembers: 10 });
    await expect(group.submit(request('a', 1))).rejects.toThrow('returned 0 outcomes for 1 members');
  });
});
