import { jobBatches } from './recalculation.jobs';

describe('jobBatches', () => {
  it('cuts the sorted stream names of a run into consecutive ranges of at most the batch size', () => {
    const names = Array.from({ length: 7 }, (_, i) => `assessment-p-${String(i).padStart(2, '0')}`);
    expect(jobBatches(names, 3).map((batch) => `${batch.first.slice(-2)}..${batch.last.slice(-2)}`)).toEqual([
      '00..02',
      '00..02',
      '00..02',
      '03..05',
      '03..05',
      '03..05',
      '06..06',
    ]);
  });

  it('gives a run smaller than a batch one batch, and an empty run none', () => {
    expect(jobBatches(['a', 'b'])).toEqual([
      { first: 'a', last: 'b' },
      { first: 'a', last: 'b' },
    ]);
    expect(jobBatches([])).toEqual([]);
  });
});
