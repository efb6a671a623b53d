using System.Globalization;
using System.Net;
using System.Text;
using System.Xml;

namespace MiniGptMed.DicomNode.Audit;

/// <summary>Writes an <see cref="AuditEvent"/> as the DICOM audit message XML of PS3.15 A.5.1, on one line.</summary>
public static class AuditMessageWriter
{
    private static readonly XmlWriterSettings Settings = new()
    {
        Encoding = new UTF8Encoding(encoderShouldEmitUTF8Identifier: false),
        OmitXmlDeclaration = false,
        Indent = false,
        // Line breaks inside attribute values become character references (text: see Text): one message, one line.
        NewLineHandling = NewLineHandling.Entitize,
    };

    public static byte[] Write(AuditEvent e, string auditSourceId, string? enterpriseSiteId)
    {
        using var buffer = new MemoryStream();
        using (var xml = XmlWriter.Create(buffer, Settings))
        {
            xml.WriteStartElement("AuditMessage");

            xml.WriteStartElement("EventIdentification");
            xml.WriteAttributeString("EventActionCode", e.Action.ToString());
            // xs:dateTime with the offset: RFC 3881 5.1.2 asks for UTC or a time zone.
            xml.WriteAttributeString("EventDateTime", e.When.ToUniversalTime().ToString("yyyy-MM-dd'T'HH:mm:ss.fff'Z'", CultureInfo.InvariantCulture));
            xml.WriteAttributeString("EventOutcomeIndicator", ((int)e.Outcome).ToString(CultureInfo.InvariantCulture));
            Code(xml, "EventID", e.EventId);
            foreach (var type in e.EventTypes)
            {
                Code(xml, "EventTypeCode", type);
            }

            if (e.OutcomeDescription is { } description)
            {
                Text(xml, "EventOutcomeDescription", description);
            }

            xml.WriteEndElement();

            foreach (var p in e.Participants)
            {
                xml.WriteStartElement("ActiveParticipant");
                xml.WriteAttributeString("UserID", Clean(p.UserId));
                if (p.AlternativeUserId is { } alternative)
                {
                    xml.WriteAttributeString("AlternativeUserID", Clean(alternative));
                }

                if (p.UserName is { } name)
                {
                    xml.WriteAttributeString("UserName", Clean(name));
                }

                xml.WriteAttributeString("UserIsRequestor", p.IsRequestor ? "true" : "false");
                if (p.NetworkAccessPointId is { } point)
                {
                    xml.WriteAttributeString("NetworkAccessPointID", point);
                    // RFC 3881 5.3.2: 1 machine name, 2 IP address.
                    xml.WriteAttributeString("NetworkAccessPointTypeCode", IPAddress.TryParse(point, out _) ? "2" : "1");
                }

                if (p.Role is { } role)
                {
                    Code(xml, "RoleIDCode", role);
                }

                xml.WriteEndElement();
            }

            xml.WriteStartElement("AuditSourceIdentification");
            if (enterpriseSiteId is not null)
            {
                xml.WriteAttributeString("AuditEnterpriseSiteID", Clean(enterpriseSiteId));
            }

            xml.WriteAttributeString("AuditSourceID", Clean(auditSourceId));
            Code(xml, "AuditSourceTypeCode", AuditCode.ApplicationServerProcess);
            xml.WriteEndElement();

            foreach (var o in e.Objects)
            {
                xml.WriteStartElement("ParticipantObjectIdentification");
                xml.WriteAttributeString("ParticipantObjectID", Clean(o.Id));
                xml.WriteAttributeString("ParticipantObjectTypeCode", o.TypeCode.ToString(CultureInfo.InvariantCulture));
                xml.WriteAttributeString("ParticipantObjectTypeCodeRole", o.TypeCodeRole.ToString(CultureInfo.InvariantCulture));
                Code(xml, "ParticipantObjectIDTypeCode", o.IdType);
                if (o.Name is { } name)
                {
                    Text(xml, "ParticipantObjectName", name);
                }

                foreach (var (uid, count) in o.SopClasses)
                {
                    xml.WriteStartElement("SOPClass");
                    xml.WriteAttributeString("UID", uid);
                    xml.WriteAttributeString("NumberOfInstances", count.ToString(CultureInfo.InvariantCulture));
                    xml.WriteEndElement();
                }

                xml.WriteEndElement();
            }

            xml.WriteEndElement();
        }

        return buffer.ToArray();
    }

    /// <summary>An element's text with line breaks as character references, so the message stays on one line.</summary>
    private static void Text(XmlWriter xml, string element, string value)
    {
        xml.WriteStartElement(element);
        var rest = Clean(value).AsSpan();
        while (rest.IndexOfAny('\r', '\n') is var at and >= 0)
        {
            xml.WriteString(rest[..at].ToString());
            xml.WriteCharEntity(rest[at]);
            rest = rest[(at + 1)..];
        }

        xml.WriteString(rest.ToString());
        xml.WriteEndElement();
    }

    private static void Code(XmlWriter xml, string element, AuditCode code)
    {
        xml.WriteStartElement(element);
        xml.WriteAttributeString("csd-code", code.Code);
        xml.WriteAttributeString("codeSystemName", code.CodeSystemName);
        xml.WriteAttributeString("originalText", code.OriginalText);
        xml.WriteEndElement();
    }

    /// <summary>XML 1.0 cannot carry most control characters: a DICOM value with one (bad input) must not break the message.</summary>
    private static string Clean(string value)
    {
        foreach (var c in value)
        {
            if (!XmlConvert.IsXmlChar(c) && !char.IsSurrogate(c))
            {
                return string.Concat(value.Select(ch => XmlConvert.IsXmlChar(ch) || char.IsSurrogate(ch) ? ch : '\uFFFD'));
            }
        }

        return value;
    }
}
