// The report's charts: the SVG the server drew when the API sends one (`svg`), otherwise the same
// Vega-Lite spec the PDF uses drawn here. Either way the picture is an image (no inline markup, so a
// strict Content-Security-Policy holds) and the figures are in a table next to it.
import { useEffect, useState } from 'react';
import { Details, Table } from '@digdir/designsystemet-react';
import { useTranslation } from 'react-i18next';
import { chartTable, type Chart } from '../report.ts';
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
  const [failed, setFailed] = useState(false);
  useEffect(() => {
    if (chart.svg) return;
    if (!canEval()) {
      setFailed(true);
      return;
    }
    let live = true;
    const font = getComputedStyle(document.body).fontFamily;
    import('./drawChart.ts')
      .then(({ toSvg }) => toSvg(chart.spec, font))
      .then(
        (s) => live && setSvg(s),
        () => live && setFailed(true),
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
      {svg ? (
        // The drawing is for sighted readers; the same figures are in the table below.
        <img className="chart-img" src={svgSource(svg)} alt="" />
      ) : (
        <p className="table-note" data-testid="chart-failed">{failed ? t('stats.chartsFailed') : t('stats.chartsLoading')}</p>
      )}
      <Details key={failed ? 'open' : 'closed'} defaultOpen={failed}>
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
                          {typeof v === 'number' ? formatNumber(v, i18n.language) : String(v ?? '')}
                        </Table.Cell>
                      ),
                    )}
                  </Table.Row>
                ))}
              </Table.Body>
            </Table>
          </div>
        </Details.Content>
      </Details>
    </figure>
  );
}
