"""A Moodle XML essay with every field Moodle writes, for the format tests and the exchange service tests."""

from __future__ import annotations

import base64

PNG = base64.b64encode(b"\x89PNG\r\n\x1a\n" + b"\0" * 16).decode()


FULL_ESSAY = f"""<?xml version="1.0" encoding="UTF-8"?>
<quiz>
  <question type="category"><category><text>$course$/top/Writing</text></category></question>
  <question type="essay">
    <name><text>Far side</text></name>
    <questiontext format="html">
      <text><![CDATA[<p>Why did <b>Chang'e-6</b> matter?</p>]]></text>
    </questiontext>
    <generalfeedback format="html"><text><![CDATA[<p>See the article.</p>]]></text></generalfeedback>
    <defaultgrade>10.0000000</defaultgrade>
    <penalty>0.0000000</penalty>
    <hidden>0</hidden>
    <idnumber>essay-1</idnumber>
    <responseformat>editorfilepicker</responseformat>
    <responserequired>1</responserequired>
    <responsefieldlines>20</responsefieldlines>
    <minwordlimit>50</minwordlimit>
    <minwordenabled>1</minwordenabled>
    <maxwordlimit>300</maxwordlimit>
    <maxwordenabled>1</maxwordenabled>
    <attachments>3</attachments>
    <attachmentsrequired>1</attachmentsrequired>
    <maxbytes>1048576</maxbytes>
    <filetypeslist>.pdf,.docx</filetypeslist>
    <graderinfo format="html">
      <text><![CDATA[<p>Full marks: <em>the far side</em>, the first samples.</p>
        <img src="@@PLUGINFILE@@/rubric.png" alt="rubric"><script>alert(1)</script>]]></text>
      <file name="rubric.png" path="/" encoding="base64">{PNG}</file>
    </graderinfo>
    <responsetemplate format="html">
      <text><![CDATA[<p>Claim:</p><p>Evidence &amp; reasons:</p>]]></text>
    </responsetemplate>
    <tags><tag><text>Moon</text></tag></tags>
  </question>
</quiz>
"""
