using Microsoft.Extensions.Logging;
using MiniGptMed.Dicom.Network.Admission;

namespace MiniGptMed.Dicom.Network.Association;

/// <summary>What the acceptor side of an association consults: policy, negotiation, handlers, limits, its slot.</summary>
internal sealed record AcceptorServices(
    IAssociationPolicy Policy,
    PresentationContextNegotiator Negotiator,
    IPresentationDataHandlerFactory Handlers,
    AssociationOptions Options,
    ILogger Logger,
    AdmissionTicket Ticket,
    ConnectionAdmission Admission,
    RefusalLog Refusals);
