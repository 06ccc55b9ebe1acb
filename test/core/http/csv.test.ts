import { expect } from 'chai';
import { csvCell, csvRow, toCsv } from '../../../core/http/csv';

describe('CSV exports (core/http/csv.ts)', () => {
  it('quotes per RFC 4180 and defuses cells a spreadsheet would run as formulas', () => {
    expect(csvCell('plain')).to.equal('plain');
    expect(csvCell('a,b')).to.equal('"a,b"');
    expect(csvCell('say "hi"')).to.equal('"say ""hi"""');
    expect(csvCell('=HYPERLINK("x")')).to.equal(`"'=HYPERLINK(""x"")"`);
    for (const start of ['+1', '-1', '@SUM(A1)', '\tx']) expect(csvCell(start)).to.equal(`'${start}`);
    expect(csvCell(null)).to.equal('');
    expect(csvCell(new Date(Date.UTC(2026, 11, 1, 12)))).to.equal('2026-12-01T12:00:00.000Z');
    expect(csvCell({ a: 1 })).to.equal('"{""a"":1}"');
  });

  it('writes lines ending in CRLF, and a document with its header row', () => {
    expect(csvRow(['a', 2, null])).to.equal('a,2,\r\n');
    expect(toCsv(['id', 'name'], [{ id: 1, name: 'x,y' }])).to.equal('id,name\r\n1,"x,y"\r\n');
  });
});
