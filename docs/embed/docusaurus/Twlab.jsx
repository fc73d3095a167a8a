// twlab's lab in Docusaurus (MDX): copy to src/components/Twlab.jsx, put the twlab site in
// static/twlab/, then in any .mdx page:
//
//   import Twlab from '@site/src/components/Twlab';
//   <Twlab preset="last-ack-lost" twin />
//
// Props as <twlab-lab>'s attributes: preset or link, lang, controls, twin, autoplay. The element is
// rendered on the server as it is; in the browser one script tag (however many labs) loads twlab.js
// from the site as it is, out of webpack's reach, and brings every element to life.
import React, { useEffect } from 'react';
import useBaseUrl from '@docusaurus/useBaseUrl';

export default function Twlab({ preset, link, lang, controls, twin = false, autoplay = false }) {
  const script = useBaseUrl('/twlab/twlab.js');
  useEffect(() => {
    if (document.querySelector(`script[src="${script}"]`)) return;
    const tag = document.createElement('script');
    tag.type = 'module';
    tag.src = script;
    document.head.appendChild(tag);
  }, [script]);
  return (
    <twlab-lab
      preset={preset}
      link={link}
      lang={lang}
      controls={controls}
      twin={twin ? '' : undefined}
      autoplay={autoplay ? '' : undefined}
    />
  );
}
