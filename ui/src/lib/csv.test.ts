import { describe, expect, it } from 'vitest'
import { csvCell, csvFileName, guardFormula, toCsv } from './csv'

describe('the spreadsheet file', () => {
  it('starts with a byte order mark and ends every row with CR LF', () => {
    expect(toCsv([['Name', 'Total'], ['Orks', 3]])).toBe('\ufeff"Name","Total"\r\n"Orks",3\r\n')
    expect(toCsv([])).toBe('\ufeff')
  })

  it('quotes text as RFC 4180 says, quotes doubled, commas and line breaks kept inside', () => {
    expect(csvCell('Say "Waaagh", boyz')).toBe('"Say ""Waaagh"", boyz"')
    expect(csvCell('Base\nWash\r\nEdge')).toBe('"Base\nWash\r\nEdge"')
    expect(csvCell('Ёлки')).toBe('"Ёлки"')
    expect(csvCell(1_000_000)).toBe('1000000')
  })

  it('never lets a cell start a formula (OWASP)', () => {
    for (const dangerous of ['=1+1', '+7', '-2', '@SUM(A1)', '\tx', '\rx', '=HYPERLINK("x")']) {
      expect(guardFormula(dangerous)).toBe(`'${dangerous}`)
    }
    for (const safe of ['Orks', ' =1', "'quoted", '', '1+1', 'a=b']) expect(guardFormula(safe)).toBe(safe)
    expect(csvCell('=HYPERLINK("evil")')).toBe('"\'=HYPERLINK(""evil"")"')
  })

  it('is named by the UTC date', () => {
    expect(csvFileName(new Date('2026-12-01T23:30:00-05:00'))).toBe('miniatures-2026-12-02.csv')
    expect(csvFileName(new Date('2026-12-01T00:10:00+03:00'))).toBe('miniatures-2026-11-30.csv')
  })
})
