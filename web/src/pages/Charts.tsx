// The report's charts: the SVG the server drew when the API sends one (`svg`); otherwise the same
// Vega-Lite spec the PDF uses, drawn here by vega; where vega cannot run (a Content-Security-Policy
// without 'unsafe-eval'), drawn from the spec's values by SimpleChart. Vega's and the server's drawings
// are shown as images (no inline markup, so a strict policy holds). The figures are always in a table too.
import { useEffect, useState } from 'react';
import { Details, Table } from '@digdir/designsystemet-react';
import { useTranslation } from 'react-i18next';
import { chartTable, SUPPRESSED, type Chart } from '../report.ts';
import { SimpleChart } from './SimpleChart.tsx';
import { formatNumber } from '../layout.tsx';

// Under a Content-Security-Policy without 'unsafe-eval' vega cannot run: do not even load it.
let evalAllowed: boolean | undefined;
function canEval(): boolean {
  if (evalAllowed === undefined) {
    try {
      evalAllowed = new Function('return true')() === true;
    } catch {
      evalAllowed = false;
    }
  }
  return evalAllowed;
}

const svgSource = (svg: string) => `data:image/svg+xml;charset=utf-8,${encodeURIComponent(svg)}`;

export default function Charts({ charts }: { charts: Chart[] }) {
  return (
    <>
      {charts.map((c) => (
        <ChartFigure key={c.id} chart={c} />
      ))}
    </>
  );
}

function ChartFigure({ chart }: { chart: Chart }) {
  const { t, i18n } = useTranslation();
  const [svg, setSvg] = useState<string | null>(chart.svg ?? null);
  const [simple, setSimple] = useState(() => !chart.svg && !canEval());
  useEffect(() => {
    if (chart.svg || !canEval()) return;
    let live = true;
    const font = getComputedStyle(document.body).fontFamily;
    import('./drawChart.ts')
      .then(({ toSvg }) => toSvg(chart.spec, font))
      .then(
        (s) => live && setSvg(s),
        () => live && setSimple(true),
      );
    return () => {
      live = false;
    };
  }, [chart.spec, chart.svg]);
  const table = chartTable(chart, t('stats.heading.code'), t('stats.heading.count'));
  const captionId = `chart-${chart.id}`;
  return (
    <figure className="chart" aria-labelledby={captionId} data-chart={chart.id}>
      <figcaption id={captionId}>{chart.title}</figcaption>
      {/* The drawing is for sighted readers; the same figures are in the table below. */}
      {svg ? (
        <img className="chart-img" src={svgSource(svg)} alt="" />
      ) : simple ? (
        <div className="chart-drawing" aria-hidden="true">
          <SimpleChart spec={chart.spec} />
        </div>
      ) : (
        <p className="table-note">{t('stats.chartsLoading')}</p>
      )}
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
