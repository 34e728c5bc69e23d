// The report's charts, drawn on the page from the same Vega-Lite spec the PDF uses (its values, order
// and colours; SimpleChart) at the width of the column, so they follow the screen from a phone to a
// wide window and print at the page's width. The drawing is inline SVG without scripts or styles of its
// own (a strict Content-Security-Policy holds); the figures are always in a table too.
import { useEffect, useRef, useState } from 'react';
import { Details, Table } from '@digdir/designsystemet-react';
import { useTranslation } from 'react-i18next';
import { chartTable, SUPPRESSED, type Chart } from '../report.ts';
import { SimpleChart } from './SimpleChart.tsx';
import { formatNumber, Hyphenated } from '../layout.tsx';

export default function Charts({ charts }: { charts: Chart[] }) {
  return (
    <>
      {charts.map((c) => (
        <ChartFigure key={c.id} chart={c} />
      ))}
    </>
  );
}

/** The width the drawing may take: its box's, followed as the window (or the printed page) changes. */
function useWidth() {
  const ref = useRef<HTMLDivElement>(null);
  const [width, setWidth] = useState(0);
  useEffect(() => {
    const el = ref.current;
    if (!el) return;
    const measure = () => setWidth(Math.floor(el.getBoundingClientRect().width));
    measure();
    const observer = new ResizeObserver(measure);
    observer.observe(el);
    return () => observer.disconnect();
  }, []);
  return { ref, width };
}

function ChartFigure({ chart }: { chart: Chart }) {
  const { t, i18n } = useTranslation();
  const { ref, width } = useWidth();
  const table = chartTable(chart, t('stats.heading.code'), t('stats.heading.count'));
  const captionId = `chart-${chart.id}`;
  return (
    <figure className="chart" aria-labelledby={captionId} data-chart={chart.id} id={`figure-${chart.id}`}>
      <figcaption id={captionId}>
        <Hyphenated text={chart.title} />
      </figcaption>
      {/* The drawing is for sighted readers; the same figures are in the table below. */}
      <div className="chart-drawing" aria-hidden="true" ref={ref}>
        {width > 0 && <SimpleChart spec={chart.spec} width={width} />}
      </div>
      <Details>
        <Details.Summary>{t('stats.showTable')}</Details.Summary>
        <Details.Content>
          <div className="table-wrap">
            <Table zebra data-size="sm">
              <caption className="ds-sr-only">{chart.title}</caption>
              <Table.Head>
                <Table.Row>
                  {table.head.map((h, i) => (
                    <Table.HeaderCell key={i} scope="col" className={i ? 'num' : undefined}>
                      {h}
                    </Table.HeaderCell>
                  ))}
                </Table.Row>
              </Table.Head>
              <Table.Body>
                {table.body.map((row, i) => (
                  <Table.Row key={i}>
                    {row.map((v, j) =>
                      j === 0 ? (
                        <Table.HeaderCell key={j} scope="row">
                          {String(v ?? '')}
                        </Table.HeaderCell>
                      ) : (
                        <Table.Cell key={j} className="num">
                          {typeof v === 'number' ? formatNumber(v, i18n.language) : (v ?? '')}
                        </Table.Cell>
                      ),
                    )}
                  </Table.Row>
                ))}
              </Table.Body>
            </Table>
          </div>
          {table.body.some((row) => row.includes(SUPPRESSED)) && <p className="table-note">{t('stats.suppressed')}</p>}
        </Details.Content>
      </Details>
    </figure>
  );
}
