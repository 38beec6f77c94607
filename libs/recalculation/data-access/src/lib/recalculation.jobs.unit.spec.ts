import { batchesOf } from './recalculation.jobs';

describe('batchesOf', () => {
  it('cuts the sorted assessments of a run into consecutive batches of at most the batch size', () => {
    const names = Array.from({ length: 7 }, (_, i) => `assessment-p-${String(i).padStart(2, '0')}`);
    expect(batchesOf(names, 3).map((batch) => `${batch[0]!.slice(-2)}..${batch.at(-1)!.slice(-2)}`)).toEqual(['00..02', '03..05', '06..06']);
  });

  it('gives a run smaller than a batch one batch, and an empty run none', () => {
    expect(batchesOf(['a', 'b'])).toEqual([['a', 'b']]);
    expect(batchesOf([])).toEqual([]);
  });
});
