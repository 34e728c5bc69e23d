// Loaded on demand (its own chunk with vega and vega-lite): the key figures and tables render first.
// Each chart is the same Vega-Lite spec the PDF uses, drawn to SVG here, with its figures as a table.
import { useEffect, useState } from 'react';
import { Details, Table } from '@digdir/designsystemet-react';
import { useTranslation } from 'react-i18next';
import { compile, type TopLevelSpec } from 'vega-lite';
import { parse, View } from 'vega';
import { chartTable, type Chart } from '../report.ts';
import { formatNumber } from '../layout.tsx';

/** The server's spec as it is, except the title (the figure caption shows it) and the page's own font. */
async function toSvg(spec: Record<string, unknown>): Promise<string> {
  const font = getComputedStyle(document.body).fontFamily;
  const config = { ...((spec.config as Record<string, unknown>) ?? {}), font };
  const { title: _title, ...rest } = spec;
  const view = new View(parse(compile({ ...rest, config } as unknown as TopLevelSpec).spec), { renderer: 'none' });
  try {
    return await view.toSVG();
  } finally {
    view.finalize();
  }
}

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
  const [svg, setSvg] = useState<string | null>(null);
  const [failed, setFailed] = useState(false);
  useEffect(() => {
    let live = true;
    toSvg(chart.spec).then(
      (s) => live && setSvg(s),
      () => live && setFailed(true),
    );
    return () => {
      live = false;
    };
  }, [chart.spec]);
  const table = chartTable(chart, t('stats.heading.code'), t('stats.heading.count'));
  const captionId = `chart-${chart.id}`;
  return (
    <figure className="chart" aria-labelledby={captionId} data-chart={chart.id}>
      <figcaption id={captionId}>{chart.title}</figcaption>
      {svg ? (
        // The drawing is for sighted readers; the same figures are in the table below.
        <div className="chart-svg" aria-hidden="true" dangerouslySetInnerHTML={{ __html: svg }} />
      ) : (
        <p className="table-note">{failed ? t('stats.chartsFailed') : t('stats.chartsLoading')}</p>
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
