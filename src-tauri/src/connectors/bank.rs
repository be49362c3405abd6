//! Bank transfers-management v1 (`seeds/004`): the correspondent deposit
//! (`PUT deposit`, type Normal) and its reversal (type Reverso, same `trnRqUID`).
//!
//! Every call carries the `client_id` / `client_secret` headers and a bearer token, plus
//! the deposit's fixed `X-Invoker-*` headers. Errors come as
//! `{"responseType": {"value": "ER"}, "responseDetail": {errorCode, errorDesc, errorType}}`
//! with an HTTP status; [`DOCUMENTED_ERRORS`] classifies every row of the contract's error
//! tables and [`classify`] reads it. `Rejected.code` is the `errorCode`, the text its
//! `errorDesc`.
//!
//! The contract has no lookup and no transaction list: an unknown deposit is resolved by
//! sending it again with the same `trnRqUID`, which the bank does not apply twice.

use std::fmt::Display;

use chrono::{DateTime, Datelike, FixedOffset, NaiveDate, TimeZone};
use rand::Rng;
use reqwest::header::{HeaderValue, ACCEPT, CONTENT_TYPE};
use reqwest::RequestBuilder;
use serde::{Deserialize, Serialize};
use serde_json::value::RawValue;

use super::{
    amount_json, clip, id_text, outcome_for, outcome_of_exchange_failure, to_raw, Connector, ConnectorError,
    ErrorClass, Exchange, Outcome, INVALID_CALL,
};
use crate::domain::{Money, TipoDeposito};

// ---------------------------------------------------------------------------------------
// Canonical bodies

/// Where the deposit is taken: the point of service the bank assigned to the store.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ServicePoint {
    /// `trn.code`: the point of service code (`123456789123456`).
    pub code: String,
    /// `trn.branchName`: its name (`MI OFICINA BETTY`).
    pub branch_name: String,
    /// `trn.cityId`: the municipality's geographic code.
    pub city_id: String,
    /// `trn.city`: the municipality's name.
    pub city: String,
    /// `trn.stateProv`: the department's code.
    pub state_prov: String,
}

/// `trn.type` of a deposit: a Normal one or its reversal.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum DepositType {
    Normal,
    Reverso,
}

impl DepositType {
    /// seeds/004 L2456: "trn.typeTipoTXStringN --> Normal R --> reverso"; the example
    /// (L2476) writes `"type": "Normal"`. The connection's [`TipoDeposito`] says which.
    pub fn wire(self, form: TipoDeposito) -> &'static str {
        match (self, form) {
            (DepositType::Normal, TipoDeposito::CodigoNR) => "N",
            (DepositType::Reverso, TipoDeposito::CodigoNR) => "R",
            (DepositType::Normal, TipoDeposito::Palabras) => "Normal",
            (DepositType::Reverso, TipoDeposito::Palabras) => "Reverso",
        }
    }

    /// Which type a stored body carries, in either form.
    fn of(wire: &str) -> Option<(DepositType, TipoDeposito)> {
        match wire.trim() {
            "N" => Some((DepositType::Normal, TipoDeposito::CodigoNR)),
            "R" => Some((DepositType::Reverso, TipoDeposito::CodigoNR)),
            "Normal" => Some((DepositType::Normal, TipoDeposito::Palabras)),
            "Reverso" => Some((DepositType::Reverso, TipoDeposito::Palabras)),
            _ => None,
        }
    }

    pub fn as_str(self) -> &'static str {
        match self {
            DepositType::Normal => "Normal",
            DepositType::Reverso => "Reverso",
        }
    }

    fn matches(self, wire: &str) -> bool {
        DepositType::of(wire).is_some_and(|(kind, _)| kind == self)
    }
}

/// The per-call headers a stored deposit carries, fixed when it is queued so that every
/// resend and its reversal repeat them. Kept beside `trn` in the outbox row and sent as
/// headers, never in the body.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct InvokerHeaders {
    /// `X-Invoker-ProcessDate` (L2430: "Process dateFormato AAA-MM-DD"): the book date,
    /// the operation's day in the bank's zone. A reversal repeats its deposit's (P1,
    /// L337: "FEC.LIB Y MONTO DEBEN COINC.").
    #[serde(rename = "processDate")]
    pub process_date: String,
    /// `X-Invoker-TxId` (L2431: "Largo máximo 16 caracteres. APIF+fecha juliana + 32 +
    /// Número de Autorización").
    #[serde(rename = "txId")]
    pub tx_id: String,
    /// `X-Invoker-ProcessId` (L2436: "se debe enviar el mismo ID Tx utilizado en la
    /// consulta par de la transaccion"): the deposit's own TxId; a reversal's, the
    /// TxId of the deposit it reverses.
    #[serde(rename = "processId")]
    pub process_id: String,
}

/// The body a deposit is stored as: the wire body (`trn`) and its [`InvokerHeaders`].
#[derive(Serialize, Deserialize)]
struct StoredDeposit {
    trn: TrnWire,
    invoker: Option<InvokerHeaders>,
}

#[derive(Serialize, Deserialize)]
struct DepositWire {
    trn: TrnWire,
}

#[derive(Serialize, Deserialize)]
struct TrnWire {
    #[serde(rename = "transactionHour")]
    transaction_hour: String,
    code: String,
    #[serde(rename = "depAcctIdTo")]
    to: AcctWire,
    #[serde(rename = "curAmt")]
    cur_amt: CurAmtWire,
    #[serde(rename = "type")]
    kind: String,
    #[serde(rename = "trnRqUID")]
    trn_rq_uid: String,
    #[serde(rename = "branchName")]
    branch_name: String,
    #[serde(rename = "cityId")]
    city_id: String,
    city: String,
    #[serde(rename = "stateProv")]
    state_prov: String,
    #[serde(rename = "depAcctIdFrom")]
    from: AcctWire,
}

#[derive(Serialize, Deserialize)]
struct AcctWire {
    #[serde(rename = "acctId")]
    acct_id: String,
}

#[derive(Serialize, Deserialize)]
struct CurAmtWire {
    /// The amount's JSON text, never an `f64`.
    amt: Box<RawValue>,
}

/// Whether `trn_rq_uid` has the contract's shape: 6 digits generated by the channel.
pub fn valid_trn_rq_uid(trn_rq_uid: &str) -> bool {
    trn_rq_uid.len() == 6 && trn_rq_uid.bytes().all(|b| b.is_ascii_digit())
}

/// `PUT deposit`, type Normal: `amount` from the correspondent account `from_account` into
/// the customer's `to_account`. `trn_rq_uid` (6 digits) is the idempotency key; `at` is
/// the operation's time in the bank's zone (the connection's `zona_horaria`): its
/// `HH:MM:SS` is `trn.transactionHour` and its date the book date (`X-Invoker-ProcessDate`).
/// `form` is how the connection writes `trn.type`.
pub fn deposit_body<Tz: TimeZone>(
    trn_rq_uid: &str,
    to_account: &str,
    from_account: &str,
    amount: Money,
    at: DateTime<Tz>,
    point: &ServicePoint,
    form: TipoDeposito,
) -> Box<RawValue>
where
    Tz::Offset: Display,
{
    let book_date = at.date_naive();
    let tx_id = invoker_tx_id(book_date);
    to_raw(&StoredDeposit {
        trn: TrnWire {
            // L2452: "trn.transactionHourHora local de la transaccióntimeHH:MM:SS ejemplo: 15:37:59"
            transaction_hour: at.format("%H:%M:%S").to_string(),
            // L2453: "trn.codeCódigo del punto de servicioStringCódigo sitio:123456789123456"
            code: point.code.trim().to_string(),
            // L2454: "trn.depAcctIdTo.acctIdNumero Cuenta a despositarStringNumero de cuenta"
            to: AcctWire { acct_id: to_account.trim().to_string() },
            // L2455: "trn.curAmt.amtValorNumberValor a depositar": a JSON number from Money.
            cur_amt: CurAmtWire { amt: amount_json(amount) },
            // L2456: "trn.typeTipoTXStringN --> Normal R --> reverso"
            kind: DepositType::Normal.wire(form).to_string(),
            // L2457: "trn.trnRqUIDNúmero de auditoría ... Numero unico de 6 digitos generado por el canal"
            trn_rq_uid: trn_rq_uid.trim().to_string(),
            // L2458: "trn.branchNameNombre PDSStringNombre PDS ejemplo: MI OFICINA BETTY"
            branch_name: point.branch_name.trim().to_string(),
            // L2459: "trn.cityIdCodigo Dane MunicipioStringCodigo georeferenciacion DANE longitud 6"
            city_id: point.city_id.trim().to_string(),
            // L2460: "trn.cityNombre Dane municipioStringNombre georeferenciacion DANE"
            city: point.city.trim().to_string(),
            // L2461: "trn.stateProvCo0digo Dane departamentoStringCodigo georeferenciacion DANE longitud 2"
            state_prov: point.state_prov.trim().to_string(),
            // L2462: "trn.depAcctIdFrom.acctIdCuenta corresponsal BCStringCuenta de corresponsal"
            from: AcctWire { acct_id: from_account.trim().to_string() },
        },
        invoker: Some(InvokerHeaders {
            process_date: book_date.format("%Y-%m-%d").to_string(),
            process_id: tx_id.clone(),
            tx_id,
        }),
    })
}

/// The reversal of a deposit built by [`deposit_body`]: the same `trn` (same `trnRqUID`,
/// accounts, amount and `transactionHour`) with type `R` (or `Reverso`, in the deposit's
/// form), and the deposit's book date: P1 (L337) "REF.NEG.REV.MONTO,FEC.LIB Y MONTO DEBEN
/// COINC." — a reversal's book date and amount must match the original's. Its own TxId;
/// its ProcessId names the deposit's TxId.
pub fn reversal_body(deposit_body: &RawValue) -> Result<Box<RawValue>, ConnectorError> {
    let mut deposit: StoredDeposit = serde_json::from_str(deposit_body.get())
        .map_err(|_| ConnectorError::Config("el cuerpo no es un depósito de transfers-management v1".into()))?;
    let Some((DepositType::Normal, form)) = DepositType::of(&deposit.trn.kind) else {
        return Err(ConnectorError::Config(format!("solo se revierte un depósito Normal, no {}", deposit.trn.kind)));
    };
    deposit.trn.kind = DepositType::Reverso.wire(form).to_string();
    let original = deposit
        .invoker
        .take()
        .ok_or_else(|| ConnectorError::Config("el depósito no guarda su fecha contable".into()))?;
    let book_date = chrono::NaiveDate::parse_from_str(&original.process_date, "%Y-%m-%d")
        .map_err(|_| ConnectorError::Config("la fecha contable del depósito es inválida".into()))?;
    deposit.invoker = Some(InvokerHeaders {
        process_date: original.process_date,
        tx_id: invoker_tx_id(book_date),
        process_id: original.tx_id,
    });
    Ok(to_raw(&deposit))
}

/// The invoker headers a stored deposit or reversal carries.
pub fn invoker_headers(body: &RawValue) -> Option<InvokerHeaders> {
    serde_json::from_str::<StoredDeposit>(body.get()).ok().and_then(|d| d.invoker)
}

/// The wire body of a stored deposit or reversal: `{"trn": …}`, without the headers kept
/// beside it.
pub fn wire_body(body: &RawValue) -> Option<Box<RawValue>> {
    let stored: StoredDeposit = serde_json::from_str(body.get()).ok()?;
    Some(to_raw(&DepositWire { trn: stored.trn }))
}

/// The bank's zone from the connection's `zona_horaria` (`±HH:MM`); default `-04:00`
/// (Bolivia, no DST): the document names no zone.
pub fn bank_offset(setting: Option<&str>) -> FixedOffset {
    setting.and_then(parse_offset).unwrap_or_else(|| FixedOffset::west_opt(4 * 3600).expect("UTC-4"))
}

/// `+HH:MM` / `-HH:MM`, within ±14:00.
pub fn parse_offset(text: &str) -> Option<FixedOffset> {
    let text = text.trim();
    let bytes = text.as_bytes();
    if bytes.len() != 6 || !matches!(bytes[0], b'+' | b'-') || bytes[3] != b':' {
        return None;
    }
    let digits = |s: &str| s.bytes().all(|b| b.is_ascii_digit()).then(|| s.parse::<i32>().ok()).flatten();
    let (hours, minutes) = (digits(&text[1..3])?, digits(&text[4..6])?);
    if hours > 14 || minutes > 59 || (hours == 14 && minutes > 0) {
        return None;
    }
    let seconds = (hours * 60 + minutes) * 60;
    if bytes[0] == b'+' {
        FixedOffset::east_opt(seconds)
    } else {
        FixedOffset::west_opt(seconds)
    }
}

/// The `trnRqUID` of a deposit or reversal body.
pub fn trn_rq_uid(body: &RawValue) -> Option<String> {
    head(body).and_then(|h| h.trn).and_then(|t| t.trn_rq_uid)
}

#[derive(Deserialize)]
struct Head {
    trn: Option<HeadTrn>,
}

#[derive(Deserialize)]
struct HeadTrn {
    #[serde(rename = "type")]
    kind: Option<String>,
    #[serde(rename = "trnRqUID")]
    trn_rq_uid: Option<String>,
}

fn head(body: &RawValue) -> Option<Head> {
    serde_json::from_str(body.get()).ok()
}

// ---------------------------------------------------------------------------------------
// Classification

/// One row of the contract's error tables.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct DocumentedError {
    /// Which table of the contract it comes from.
    pub table: &'static str,
    /// The HTTP status the table gives it; `0` where the contract shows the code only in
    /// an example without a status.
    pub status: u16,
    pub code: &'static str,
    pub kind: &'static str,
    pub desc: &'static str,
    pub class: ErrorClass,
}

const fn row(
    table: &'static str,
    status: u16,
    code: &'static str,
    kind: &'static str,
    class: ErrorClass,
    desc: &'static str,
) -> DocumentedError {
    DocumentedError { table, status, code, kind, desc, class }
}

use ErrorClass::{Rejected as REJECT, Retryable as RETRY, Unauthorized as AUTH, Unknown as UNKNOWN};

/// Every documented error of transfers-management v1, in the contract's order, with its
/// class. The reasons, once:
///
/// - **RETRY**: the core failed *before* posting (a transaction that did not start, a
///   table it could not read, a component whose status must be checked, "we cannot
///   attend you now", an authorization sequence it could not generate, a time window
///   that is closed now): nothing was applied and a later attempt can pass.
/// - **UNKNOWN**: the failure is at or after the posting (a commit that failed, a
///   transaction "posted for retry" by the core itself, an error from the deal, an
///   "unknown error"): it may have been applied. The bank has no lookup, so the worker
///   resends with the same `trnRqUID`, which the bank does not apply twice.
/// - **REJECT**: the bank refused the operation on its merits (invalid data or
///   reference, an account that is closed, blocked, missing or of the wrong kind,
///   insufficient funds, limits, a reference reused for another deal, a reversal that
///   does not match its deposit, too many retries): resending the same body gets the
///   same answer, a manager must see it. `PB` and `00013` are business refusals even
///   though the table gives them HTTP 500.
/// - **AUTH**: the gateway's 401 (missing or expired token): renew and send once more.
///
/// "(Core system error)" rows are not codes: an unidentified 500 (L362 "Any error that is
/// not identified will return a 500", the `ER500` answer) falls to [`classify`]'s default,
/// UNKNOWN: the document does not say it was not processed.
///
/// The RETRY rows at HTTP 500 are read from their own text ("ERROR DE INICIO TX", "ERROR
/// LEYENDO TABLA ...": the core failed before posting). That reading is the product's, the
/// document does not say "not processed" in so many words (CONTRACTS.md).
pub const DOCUMENTED_ERRORS: &[DocumentedError] = &[
    // --- Error codes for any type of transfer (also the deposit's).
    row("transfers", 500, "ZEROS", "TPS", RETRY, "ERROR DE INICIO TX"),
    row("transfers", 500, "ZEROS", "TPX", UNKNOWN, "FALLO EL COMMIT DE LA TRANSACCION"),
    row("transfers", 500, "SQLCODE", "TPS", RETRY, "Error de Inicio TP"),
    row("transfers", 500, "SQLCODE", "ORA", RETRY, "FSESTSIS:ERROR LEYENDO TABLA CA1401BANK"),
    row("transfers", 500, "SQLCODE", "ORA", RETRY, "ERROR LEYENDO TABLA FS8003PARAM_TXFINANCI"),
    row("transfers", 404, "SQLCODE", "VAL", REJECT, "REGISTRO NO EXISTE"),
    row("transfers", 500, "2", "TRS", RETRY, "EN EL MOMENTO NO LO PODEMOS ATENDER BM00134037"),
    row("transfers", 400, "10002", "TPS", RETRY, "VERIFIQUE STATUS FSBMCU_BMVALCT2"),
    row("transfers", 500, "10003", "TPS", RETRY, "VERIFIQUE STATUS STAR_COMMMGR"),
    row("transfers", 400, "10004", "TPS", REJECT, "ERROR CON EL CODIGO DE PROCESO"),
    row("transfers", 400, "10006", "TPS", RETRY, "VERIFIQUE STATUS UTILCB_CONSNOMT"),
    row("transfers", 400, "11111", "EXP", REJECT, "Producto/Cuenta destino debe ser numérico"),
    row("transfers", 400, "11112", "EXP", REJECT, "Campo Concepto deber ser alfanumérico"),
    row("transfers", 400, "163", "VAL", REJECT, "CUENTA ES CUENTA CANCELADA"),
    row("transfers", 400, "6905", "VAL", REJECT, "CUENTA CON BLOQUEO BM"),
    row("transfers", 400, "11101", "VAL", REJECT, "CUENTA ES CUENTA INACTIVA"),
    row("transfers", 400, "11102", "VAL", REJECT, "CUENTA CON BLOQUEO FS :"),
    row("transfers", 400, "11103", "VAL", REJECT, "CUENTA ES CUENTA DE PENSIONADO ISS"),
    row("transfers", 400, "11104", "VAL", REJECT, "CUENTA ES CUENTA DE PENSIONADO"),
    row("transfers", 400, "11105", "VAL", REJECT, "CUENTA DE AHORROS PROGRAMADO"),
    row("transfers", 400, "11106", "VAL", REJECT, "CUENTA ES CUENTA RECAUDADORA"),
    row("transfers", 400, "11109", "VAL", REJECT, "CUENTA DE PRESTAMO O CDT:"),
    row("transfers", 400, "11110", "VAL", REJECT, "CUENTA ORIGEN IGUAL A CUENTA DESTINO"),
    row("transfers", 500, "SQLCODE", "ORA", RETRY, "CA0201ACCOUNT"),
    row("transfers", 404, "SQLCODE", "ORA", REJECT, "NO EXISTE REGISTRO CC0105CLIENTNUM"),
    row("transfers", 404, "SQLCODE", "ORA", REJECT, "NO EXISTE REGISTRO CD0105CLIENT,CD0102RCLIENT"),
    row("transfers", 500, "SQLCODE", "ORA", RETRY, "TABLAS CD0105CLIENT,CD0102RCLIENT"),
    row("transfers", 500, "SQLCODE", "ORA", RETRY, "CC0105CLIENTNUM"),
    row("transfers", 500, "SQLCODE", "ORA", RETRY, "SELECT CD0105CLIENT"),
    row("transfers", 500, "SQLCODE", "ORA", RETRY, "FSESTSIS:ERROR LEYENDO TABLA CA1401BANK"),
    row("transfers", 500, "SQLCODE", "TPS", RETRY, "ERROR DE INICIO TP"),
    row("transfers", 400, "5620", "RGN", REJECT, "NO EXISTE NÚMERO DE CUENTA"),
    row("transfers", 400, "5621", "RGN", REJECT, "NO EXISTE TITULAR PARA LA CTA"),
    row("transfers", 400, "14257", "AUT", RETRY, "ERROR AL GENERAR SECUENCIA DE AUTORIZACION"),
    row("transfers", 400, "35704", "ERN", REJECT, "Numero de Tarjeta no es valido"),
    row("transfers", 404, "35705", "ERN", REJECT, "Numero de Tarjeta no encontrado"),
    row("transfers", 400, "35706", "ERN", REJECT, "La tarjeta no tiene cuenta corriente relacionada"),
    row("transfers", 400, "35707", "ERN", REJECT, "La tarjeta no tiene cuenta de ahorros relacionada"),
    row("transfers", 400, "35708", "ERN", REJECT, "Tipo de cuenta no es valido"),
    row("transfers", 400, "35709", "ERN", REJECT, "Error Validando Cuenta"),
    row("transfers", 400, "N1", "TRX", REJECT, "DEBE INGRESAR REFERENCIA DE LA TRANSACCION"),
    row("transfers", 400, "N2", "TRX", REJECT, "REF.DE TRANSAC.DEBE IDENTIFICAR USUARIO VALIDO"),
    // The trnRqUID was already used for another deal: never apply it over someone else's.
    row("transfers", 400, "N3", "TRX", REJECT, "REF.TRANSAC.PARA NUEVAS NEGOC.DEBE SER UNICA"),
    // Nothing (left) to reverse under that trnRqUID.
    row("transfers", 400, "N4", "TRX", REJECT, "REF.TRAN.PARA REVER.DEBE IDEN.NEGOC.VAL.NO REV."),
    row("transfers", 400, "N5", "TRX", REJECT, "FECHA DE ENTRADA DEBE SER FECHA VALIDA"),
    row("transfers", 400, "N6", "TRX", REJECT, "HORA DE ENTRADA DEBE SER HORA VALIDA"),
    row("transfers", 400, "N7", "TRX", REJECT, "FECHA EN LIBROS DEBE SER FECHA VALIDA"),
    row("transfers", 404, "NC", "TRX", REJECT, "CUENTA NO EXISTE"),
    row("transfers", 400, "ND", "TRX", REJECT, "CUENTA CERRADA"),
    row("transfers", 400, "NF", "TRX", REJECT, "CUENTA BLOQUEADA"),
    row("transfers", 400, "NG", "TRX", REJECT, "REF. ALTERNA. DEBE IDENTIFICAR CTA.EXISTENTE"),
    row("transfers", 400, "NH", "TRX", REJECT, "MONEDA PRINCIPAL DEBE SER UNA MONEDA VALIDA"),
    row("transfers", 400, "NI", "TRX", REJECT, "MONEDA PPAL. DEBE SER MONEDA DE CTA. PRINCIPAL"),
    row("transfers", 400, "NJ", "TRX", REJECT, "CUENTA SECUNDARIA DEBE SER CUENTA VALIDA"),
    row("transfers", 400, "NK", "TRX", REJECT, "CUENTA SECUNDARIA NO SE PUEDE CERRAR"),
    row("transfers", 400, "NL", "TRX", REJECT, "CUENTA SECUNDARIA NO PUEDE ESTAR BLOQUEADA"),
    row("transfers", 400, "NM", "TRX", REJECT, "TERCERA CUENTA DEBE SER CTA. VALIDA"),
    row("transfers", 400, "NN", "TRX", REJECT, "TERCERA CUENTA NO SE PUEDE CERRAR"),
    row("transfers", 400, "NO", "TRX", REJECT, "TERCERA CUENTA NO PUEDE ESTAR BLOQUEADA"),
    row("transfers", 400, "NP", "TRX", REJECT, "COD.OFIC.ORIGEN DEBE IDENTIFICAR OFIC. VALIDA"),
    row("transfers", 400, "NQ", "TRX", REJECT, "COD.OFIC.DESTINO DEBE IDENTIFICAR OFIC.VALIDA"),
    row("transfers", 400, "NR", "TRX", REJECT, "DEBE IDENTIFICAR UN TIPO DE NEGOCIACION VALIDO"),
    row("transfers", 400, "NS", "TRX", REJECT, "MONTO PRINCIPAL DE TRANSACCION DEBE SER VALIDO"),
    row("transfers", 400, "NT", "TRX", REJECT, "VALOR DE MONTO 1 DEBE SER UN MONTO VALIDO"),
    row("transfers", 400, "NU", "TRX", REJECT, "VALOR DE MONTO 2 DEBE SER UN MONTO VALIDO"),
    row("transfers", 400, "NV", "TRX", REJECT, "VALOR DE MONTO 3 DEBE SER UN MONTO VALIDO"),
    row("transfers", 400, "NW", "TRX", REJECT, "VALOR DE MONTO 4 DEBE SER UN MONTO VALIDO"),
    row("transfers", 400, "NX", "TRX", REJECT, "VALOR DE MONTO 5 DEBE SER UN MONTO VALIDO"),
    row("transfers", 400, "OD", "TRX", REJECT, "INDICADOR POSTEO FORZADO DEBE SER 'D','N'O'F'"),
    row("transfers", 400, "OE", "TRX", REJECT, "IMPUESTO CALCULADO DEBE SER 'Y O 'N'"),
    row("transfers", 400, "OF", "TRX", REJECT, "SOPORTE OFICINA DEBE SER 'Y O 'N'"),
    row("transfers", 400, "OT", "TRX", REJECT, "INTERCAMBIO M O D"),
    row("transfers", 400, "OU", "TRX", REJECT, "MONTO PRINCIPAL BASE EQUIV. DEBE SER VALIDO"),
    row("transfers", 400, "OV", "TRX", REJECT, "MONTO PPAL BASE EQUIV.NO PUEDE ING.SI MON.EXT."),
    row("transfers", 400, "OW", "TRX", REJECT, "MONTO PPAL BASE EQUIV.DEBE ING.SI ING.MON.EXTR."),
    row("transfers", 400, "OX", "TRX", REJECT, "MONTO EXTRANJERO BASE EQUIV. DEBE SER VALIDO"),
    row("transfers", 400, "OY", "TRX", REJECT, "MONTO EXT.BASE EQUIV.NO PUEDE ING.SI MONEDA EXT"),
    row("transfers", 400, "OZ", "TRX", REJECT, "MONTO EXT.BASE EQUIV.DEBE ING.SI ING.MONEDA EXT"),
    // A reversal whose amount or accounts differ from its deposit's.
    row("transfers", 400, "P1", "TRX", REJECT, "REF.NEG.REV.MONTO,FEC.LIB Y MONTO DEBEN COINC."),
    row("transfers", 400, "PA", "TRX", REJECT, "CTA. PRINCIPAL, FRACCIONAMIENTO NO PERMITIDO"),
    // HTTP 500 in the table, but a balance refusal, not a server failure.
    row("transfers", 500, "PB", "TRX", REJECT, "CTA.PPAL PARCIAL.BLOQ.MONTO TRANS.EXCEDE SALDO"),
    row("transfers", 400, "PH", "TRX", REJECT, "MONTO NO COINCIDE"),
    row("transfers", 400, "PJ", "TRX", REJECT, "CANAL NO VALIDO"),
    row("transfers", 400, "PK", "TRX", REJECT, "FECHA INGRESO DEBE SER IGUAL A FECHA SISTEMA"),
    // "REINTENTE" means with a new deal reference; ours is fixed: the key collided.
    row("transfers", 400, "PM", "TRX", REJECT, "REFERENCIA DEAL YA EXISTE. REINTENTE"),
    row("transfers", 400, "W1", "TRX", REJECT, "FECHA EN LIBROS NO DEBE SER < NUM.MAXIMO DIAS"),
    row("transfers", 400, "W2", "TRX", REJECT, "FONDOS INSUFICIENTES PARA RETIRO"),
    // Posted, to be retried by the core itself: it may still be applied.
    row("transfers", 400, "W4", "TRX", UNKNOWN, "TRANSACCION POSTEADA PARA REINTENTO"),
    // The core gave up retrying: stop and let a person look.
    row("transfers", 400, "W5", "TRX", REJECT, "SE ALCANZO EL MAXIMO NUMERO DE REINTENTOS"),
    row("transfers", 400, "W6", "TRX", REJECT, "CUENTA BLOQUEADA PARA CREDITOS"),
    row("transfers", 400, "W7", "TRX", REJECT, "CUENTA BLOQUEADA PARA DEBITOS"),
    row("transfers", 400, "W8", "TRX", REJECT, "CUENTA BLOQUEADA CREDITOS/DEBITOS"),
    // The row reads "400OSB10001": code 10001, type OSB.
    row("transfers", 400, "10001", "OSB", REJECT, "El valor enviado en el campo tipoTransferencia no es válido."),
    row("transfers", 400, "28108", "AUT", REJECT, "TRANSACCION DE UTILIZACION - EXCEDE EL MONTO MAXIMO"),
    row("transfers", 400, "28110", "AUT", REJECT, "TRANSACCION DE UTILIZACION - EXCEDE ACUMULADO DIARIO"),
    row("transfers", 400, "28112", "AUT", REJECT, "TRANSACCION DE UTILIZACION - EXCEDE ACUMULADO MENSUAL"),
    row("transfers", 400, "28127", "AUT", REJECT, "TRANSACCION DE UTILIZACION - EXCEDE EL MONTO DEFEC/MAXIMO"),
    row("transfers", 400, "28129", "AUT", REJECT, "TRANSACCION DE UTILIZACION - EXCEDE ACUMULADO DEFEC/DIARIO"),
    row("transfers", 400, "28131", "AUT", REJECT, "TRANSACCION DE UTILIZACION - EXCEDE ACUMULADO DEFEC/MENSUAL"),
    row("transfers", 400, "28134", "AUT", REJECT, "TRANSACCION DE UTILIZACION - EXCEDE MONTO ACUMULADO POR DIA"),
    row("transfers", 400, "28136", "AUT", REJECT, "TRANSACCION DE UTILIZACION - EXCEDE MONTO ACUMULADO POR MES"),
    row("transfers", 400, "28247", "AUT", REJECT, "PRODUCT BLOCKED FOR THIS CHANNEL"),
    row("transfers", 400, "28248", "AUT", REJECT, "PRODUCT BLOCKED FOR THIS CHANNEL - SUBCHANNEL"),
    // --- Fees.
    row("fees", 500, "SQLCODE", "TPS", RETRY, "Error de Inicio TP"),
    row("fees", 400, "14252", "TPS", RETRY, "VERIFIQUE STATUS COMMMGR"),
    row("fees", 500, "14257", "AUT", RETRY, "ERROR AL GENERAR SECUENCIA DE AUTORIZACION"),
    row("fees", 500, "SQLCODE", "ORA", RETRY, "FSESTSIS:ERROR LEYENDO TABLA CA1401BANK"),
    row("fees", 500, "SQLCODE", "ORA", RETRY, "CA2301CARD"),
    row("fees", 500, "SQLCODE", "ORA", RETRY, "CA0201ACCOUNT"),
    row("fees", 404, "SQLCODE", "ORA", REJECT, "NO EXISTE REGISTRO CC0105CLIENTNUM"),
    row("fees", 500, "SQLCODE", "ORA", RETRY, "CC0105CLIENTNUM"),
    row("fees", 404, "SQLCODE", "ORA", REJECT, "NO EXISTE REGISTRO CD0105CLIENT,CD0102RCLIENT"),
    row("fees", 500, "SQLCODE", "ORA", RETRY, "TABLAS CD0105CLIENT,CD0102RCLIENT"),
    row("fees", 500, "SQLCODE", "ORA", RETRY, "SELECT CD0105CLIENT"),
    row("fees", 404, "05620", "RGN", REJECT, "NO EXISTE NÚMERO DE CUENTA"),
    row("fees", 404, "05621", "RGN", REJECT, "NO EXISTE TITULAR PARA LA CTA"),
    row("fees", 400, "24543", "RGN", REJECT, "NUM. TARJETA INVALIDO"),
    row("fees", 400, "35704", "ERN", REJECT, "Número de Tarjeta no es valido"),
    row("fees", 404, "35705", "ERN", REJECT, "Número de Tarjeta no encontrado"),
    row("fees", 400, "35706", "ERN", REJECT, "La tarjeta no tiene cuenta corriente relacionada"),
    row("fees", 400, "35707", "ERN", REJECT, "La tarjeta no tiene cuenta de ahorros relacionada"),
    row("fees", 400, "35708", "ERN", REJECT, "Tipo de cuenta no es valido"),
    // 500 here (400 in transfers): the validation itself failed, not the account.
    row("fees", 500, "35709", "ERN", RETRY, "Error Validando Cuenta"),
    // --- Advance with credit card / revolving credit (CCR).
    row("ccr", 400, "00001", "INP", REJECT, "Plazo Avance es obligatorio"),
    row("ccr", 500, "00003", "TPE", RETRY, "Error al invocar Componente"),
    row("ccr", 400, "00007", "INP", REJECT, "Error en campos de entrada"),
    row("ccr", 500, "00031", "TXS", RETRY, "Error en Autorización de Avance/Uso"),
    row("ccr", 400, "00040", "TXS", REJECT, "Transacción Rechazada por Supervisor"),
    row("ccr", 500, "00041", "TXS", UNKNOWN, "Error retornado en el DEAL"),
    row("ccr", 400, "00012", "OPC", REJECT, "Transacción No Autorizada"),
    // HTTP 500 in the table, but a business rule.
    row("ccr", 500, "00013", "OPC", REJECT, "El Monto es Inferior al mínimo permitido"),
    row("ccr", 404, "00014", "OPC", REJECT, "Tarjeta de Crédito o Crédito Rotativo No Existe"),
    row("ccr", 400, "00051", "OPC", REJECT, "Fondos Insuficientes"),
    row("ccr", 400, "00052", "OPC", REJECT, "El número de Cuenta No Existe"),
    row("ccr", 400, "00054", "OPC", REJECT, "Tarjeta de Crédito o Crédito Rotativo se encuentra vencido"),
    row("ccr", 400, "00061", "OPC", REJECT, "El valor solicitado No es Permitido"),
    row("ccr", 400, "00062", "OPC", REJECT, "Tarjeta de Crédito o Crédito Rotativo se encuentra bloqueado"),
    row("ccr", 400, "00065", "OPC", REJECT, "Límite de Usos Excedido (Crédito Rotativo)"),
    row("ccr", 400, "00097", "OPC", REJECT, "La identificación no corresponde a la del producto"),
    row("ccr", 500, "00099", "TXS", UNKNOWN, "Error Desconocido"),
    row("ccr", 404, "SQLCODE", "VAL", REJECT, "CUENTA NO EXISTE"),
    row("ccr", 500, "SQLCODE", "SQL", RETRY, "ERROR CONSULTANDO CUENTA"),
    row("ccr", 400, "11123", "VAL", REJECT, "CUENTA MAESTRA"),
    row("ccr", 400, "14252", "TPS", RETRY, "VERIFIQUE STATUS BMVALCT2"),
    // --- Investment fund (TFI).
    row("tfi", 500, "16001", "TPS", RETRY, "ERROR DE INICIO TX"),
    row("tfi", 500, "16002", "TUX", UNKNOWN, "FALLO EL COMMIT DE LA TRANSACCION"),
    row("tfi", 400, "16005", "VAL", REJECT, "ESTADO INVALIDO PARA REGISTRO"),
    row("tfi", 400, "16007", "VAL", REJECT, "REGISTRO YA SE ENCONTRABA EN ESTADO R"),
    row("tfi", 404, "1403", "ORA", REJECT, "REGISTRO NO ENCONTRADO"),
    row("tfi", 500, "SQLCODE", "ORA", RETRY, "SQLERRMC"),
    // Time windows: closed now, open later.
    row("tfi", 400, "00002", "PRA", RETRY, "Fecha de sistema no corresponde a la fecha permitida. Fecha"),
    row("tfi", 400, "00015", "PRA", REJECT, "El estado actual del plan: BLOQUEADO POR CONFIR, no permite"),
    row("tfi", 400, "00077", "PRA", RETRY, "Transaccion NO permitida en este horario."),
    row("tfi", 404, "00078", "PRA", REJECT, "Equivalencia de Oficina no existe."),
    row("tfi", 400, "00102", "PRA", RETRY, "Transaccion de canal NO permitida en este horario."),
    row("tfi", 400, "00191", "PRA", REJECT, "Valor Retiro supera el Valor M¿ximo Individual definido para"),
    row("tfi", 400, "00296", "PRA", REJECT, "Valor Retiro no permitido por Saldo Insuficiente."),
    row("tfi", 400, "00315", "PRA", REJECT, "Valor Minimo Apertura no válido según definición del Fondo"),
    row("tfi", 400, "00047", "PRA", REJECT, "Fecha ya se encuentra Actualizada Contablemente"),
    // --- Common codes of Transfiya.
    row("transfiya", 404, "20001", "RGN", REJECT, "MATRICULA INEXISTENTE"),
    row("transfiya", 404, "20002", "RGN", REJECT, "TRANSACCION INEXISTENTE"),
    row("transfiya", 400, "20101", "RGN", REJECT, "EL CAMPO $ NO SE PERMITE NULO O VACIO"),
    row("transfiya", 404, "00001", "RGN", REJECT, "No existen transferencias pendientes por Recibir"),
    row("transfiya", 404, "00002", "RGN", REJECT, "No existen transferencias pendientes por Enviar"),
    row("transfiya", 404, "00003", "RGN", REJECT, "No existen transferencias recientes"),
    row("transfiya", 404, "00004", "RGN", REJECT, "No existe Relación de confianza."),
    row("transfiya", 400, "00123", "RES", REJECT, "Se excede monto permitido para esta transacción"),
    // Disabled for this client: retrying will not enable it.
    row("transfiya", 400, "00010", "EXP", REJECT, "Función no disponible"),
    row("transfiya", 400, "00005", "RGN", REJECT, "Numero de Celular YA Matriculado"),
    row("transfiya", 400, "00101", "RGN", REJECT, "Numero de Celular YA Matriculado"),
    row("transfiya", 400, "11102", "VAL", REJECT, "CUENTA CON BLOQUEO FS"),
    row("transfiya", 400, "00163", "VAL", REJECT, "CUENTA ES CUENTA CANCELADA"),
    row("transfiya", 400, "11101", "VAL", REJECT, "CUENTA ES CUENTA INACTIVA"),
    row("transfiya", 400, "06905", "VAL", REJECT, "CUENTA CON BLOQUEO BM"),
    row("transfiya", 400, "11105", "VAL", REJECT, "CUENTA DE AHORROS PROGRAMADO"),
    row("transfiya", 400, "11102", "VAL", REJECT, "CUENTA CON BLOQUEO FS"),
    row("transfiya", 400, "11109", "VAL", REJECT, "CUENTA DE PRESTAMO O CDT"),
    row("transfiya", 400, "01101", "RGN", REJECT, "TRANSACCION DE RECHAZO YA PROCESADA"),
    row("transfiya", 400, "11201", "RGN", REJECT, "CUENTA NO POSEE FONDOS PARA ESTA OPERACIÓN."),
    row("transfiya", 400, "01102", "RGN", REJECT, "TRANSFERENCIA NO PUEDE SER ACEPTADA POR EL MISMO CLIENTE."),
    row("transfiya", 500, "00304", "RGN", RETRY, "Error en la eliminacion de la relacion de confianza."),
    // --- Pockets.
    row("pockets", 400, "00001", "INP", REJECT, "La longitud del mensaje de entrada no es correcta"),
    row("pockets", 500, "*", "SQL", RETRY, "m"),
    row("pockets", 500, "*", "MDB", RETRY, "m"),
    row("pockets", 500, "00011", "EXP", RETRY, "m"),
    row("pockets", 500, "30024", "PRA", RETRY, "m"),
    // --- Codes shown only in the contract's response examples (no HTTP status given).
    row("ejemplos", 0, "2", "CLI", REJECT, "Error description."),
    row("ejemplos", 0, "00003", "RNE", REJECT, "No hay matricula vigente en BMRS"),
    row("ejemplos", 0, "00050", "APL", REJECT, "Valor del plan menor al limite permitido"),
    row("ejemplos", 0, "20001", "RNE", REJECT, "MATRICULA INEXISTENTE"),
    // --- The gateway's own answers (the simulator's documented decisions).
    row("gateway", 401, "401", "SEC", AUTH, "credenciales o token ausentes, inválidos o vencidos"),
    row("gateway", 400, "400", "APIKIT", REJECT, "cuerpo que no es el JSON del recurso"),
];

/// The class of a bank error answer: the documented row for `code` (narrowed by
/// `errorType`, then by HTTP status, where the tables repeat a code), else by the HTTP
/// status alone: 401 renew the token, 429 retry, every 5xx unknown (an unidentified core
/// error, L362 "Any error that is not identified will return a 500", may have been
/// applied; a gateway's 502/503/504 may have forwarded it), anything else a refusal.
pub fn classify(status: u16, code: &str, kind: &str) -> ErrorClass {
    let (code, kind) = (code.trim(), kind.trim());
    if status == 401 {
        return ErrorClass::Unauthorized;
    }
    if !code.is_empty() {
        let rows: Vec<&DocumentedError> = DOCUMENTED_ERRORS.iter().filter(|r| r.code == code).collect();
        let narrow = |rows: Vec<&'static DocumentedError>, keep: &dyn Fn(&DocumentedError) -> bool| {
            let kept: Vec<_> = rows.iter().copied().filter(|r| keep(r)).collect();
            if kept.is_empty() {
                rows
            } else {
                kept
            }
        };
        let rows = narrow(rows, &|r| r.kind == kind);
        let rows = narrow(rows, &|r| r.status == status);
        if let Some(row) = rows.first() {
            return row.class;
        }
    }
    match status {
        429 => ErrorClass::Retryable,
        500..=599 => ErrorClass::Unknown,
        _ => ErrorClass::Rejected,
    }
}

/// The answers that say the deposit's reference is already known to the bank: N3
/// `REF.TRANSAC.PARA NUEVAS NEGOC.DEBE SER UNICA` and PM `REFERENCIA DEAL YA EXISTE.
/// REINTENTE` (error table, transfers). To a first attempt they are a refusal (the key
/// collided with another deal); to a resend of a call whose earlier attempt may have
/// reached the bank they are evidence that it did: applied, to be confirmed by the
/// statement.
pub fn is_duplicate_reference(code: &str) -> bool {
    matches!(code.trim(), "N3" | "PM")
}

#[derive(Deserialize, Default)]
struct Reply {
    #[serde(rename = "responseType")]
    response_type: Option<ResponseType>,
    #[serde(rename = "responseDetail")]
    response_detail: Option<ResponseDetail>,
    trn: Option<TrnReply>,
}

#[derive(Deserialize, Default)]
struct ResponseType {
    value: Option<String>,
}

#[derive(Deserialize, Default)]
struct ResponseDetail {
    #[serde(rename = "errorCode")]
    error_code: Option<serde_json::Value>,
    #[serde(rename = "errorDesc")]
    error_desc: Option<String>,
    #[serde(rename = "errorType")]
    error_type: Option<String>,
}

#[derive(Deserialize, Default)]
struct TrnReply {
    #[serde(rename = "approvalId")]
    approval_id: Option<serde_json::Value>,
}

/// The outcome of a `PUT deposit` answer.
pub(crate) fn deposit_outcome(status: u16, body: &[u8]) -> Outcome {
    let parsed = serde_json::from_slice::<Reply>(body).ok();
    let value = parsed
        .as_ref()
        .and_then(|r| r.response_type.as_ref())
        .and_then(|t| t.value.as_deref())
        .map(|v| v.trim().to_ascii_uppercase());
    let detail = parsed.as_ref().and_then(|r| r.response_detail.as_ref());
    let code = detail.and_then(|d| d.error_code.as_ref()).and_then(id_text).unwrap_or_default();
    let kind = detail.and_then(|d| d.error_type.as_deref()).unwrap_or("").trim().to_string();
    let text = detail.and_then(|d| d.error_desc.as_deref()).unwrap_or("").trim().to_string();
    if (200..300).contains(&status) {
        let Some(reply) = &parsed else {
            // A success we cannot read: most likely applied; a resend with the same
            // trnRqUID returns the first answer.
            return Outcome::Unknown { detail: format!("HTTP {status} con respuesta ilegible ({} bytes)", body.len()) };
        };
        let is_error = value.as_deref().is_some_and(|v| v.starts_with("ER")) || (value.is_none() && !code.is_empty());
        if !is_error {
            let provider_ref = reply.trn.as_ref().and_then(|t| t.approval_id.as_ref()).and_then(id_text);
            return Outcome::Acked { provider_ref };
        }
        if code.is_empty() {
            return Outcome::Rejected {
                code: value.unwrap_or_else(|| "ER".into()),
                text: if text.is_empty() { format!("HTTP {status} con error sin código") } else { clip(&text) },
            };
        }
    }
    outcome_for(classify(status, &code, &kind), status, &code, &text)
}

// ---------------------------------------------------------------------------------------
// Calls

/// The deposit's fixed headers ("Valor fijo" in the header table, L2416-L2447).
const FIXED_HEADERS: &[(&str, &str)] = &[
    // L2421: "X-Invoker-ChannelChannel of origin of consumptionValor fijo 13 (Corresponsal bancario)SI"
    ("X-Invoker-Channel", "13"),
    // L2423: "X-Invoker-BranchIdOffice codeValor fijo “1108”SI"
    ("X-Invoker-BranchId", "1108"),
    // L2438: "X-Invoker-subChannelSubchannel with which the transaction must be registeredValor fijo “06”SI"
    ("X-Invoker-subChannel", "06"),
    // L2439: "X-Invoker-UserUserValor fijo “NEWCBSER”SI"
    ("X-Invoker-User", "NEWCBSER"),
    // L2440: "X-Invoker-ActionAction"C --> Create (Aplicación de negocio) R -- > Read (Consulta)"SI"
    ("X-Invoker-Action", "C"),
    // L2434: "X-Invoker-CountryCountryCampo nuevo – Valor fijo “CO”SI"
    ("X-Invoker-Country", "CO"),
    // L2433: "X-Invoker-SourceOriginCampo nuevo – Valor fijo “18”NO" (optional, fixed: sent)
    ("X-Invoker-Source", "18"),
];

/// `X-Invoker-TxId` (L2431): `APIF` + Julian date (last digit of the year and day of the
/// year) + bank code `32` + the authorization number. The recipe's "10 dígitos" would
/// make 20 characters where the same line says "Largo máximo 16 caracteres": the length
/// wins, so the random authorization number has 6 digits (CONTRACTS.md).
pub fn invoker_tx_id(date: NaiveDate) -> String {
    let number: u32 = rand::thread_rng().gen_range(0..1_000_000);
    format!("APIF{}{:03}32{number:06}", date.year().rem_euclid(10), date.ordinal())
}

/// The connection's answers to what the header table leaves open (CONTRACTS.md).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct BankSettings {
    /// The OAuth 2 client-credentials URL (the document names no token endpoint).
    pub token_url: String,
    /// `X-Invoker-TerminalId`; `None`: the body's point of service code (`trn.code`).
    pub terminal_id: Option<String>,
    /// `X-Invoker-UserIPAddress`.
    pub user_ip: String,
    /// `X-Invoker-ServerIPAddress`.
    pub server_ip: String,
    /// `X-Invoker-ModifierUser` (L2442: "Enviar espacios").
    pub modifier_user: String,
    /// Whether a deposit whose outcome is unknown is resent with its `trnRqUID` (the
    /// connection's `reenvio_incierto`, `MISMA_CLAVE` by default), relying on the
    /// assumption that the bank does not apply one twice; otherwise a person resolves it
    /// with the bank's statement.
    pub resend_unknown: bool,
}

/// Defaults of [`BankSettings`] where the connection leaves them empty.
pub const DEFAULT_USER_IP: &str = "127.0.0.1";
pub const DEFAULT_MODIFIER_USER: &str = " ";

impl Connector {
    /// A v1 call: the client's headers, the bearer token and every required invoker
    /// header (L2416-L2447), the per-call ones from the stored body.
    fn bank_call(&self, request: RequestBuilder, token: &str, invoker: &InvokerHeaders, point_code: &str) -> RequestBuilder {
        let settings = self.bank_settings();
        let terminal = settings.and_then(|s| s.terminal_id.clone()).unwrap_or_else(|| point_code.to_string());
        let user_ip = settings.map(|s| s.user_ip.clone()).unwrap_or_else(|| DEFAULT_USER_IP.into());
        let server_ip = settings.map(|s| s.server_ip.clone()).unwrap_or_else(|| user_ip.clone());
        let modifier = settings.map(|s| s.modifier_user.clone()).unwrap_or_else(|| DEFAULT_MODIFIER_USER.into());
        // L2417-L2419: client_id, client_secret ("SI") and "AuthorizationToken GeneradoBearer WxN_AU...SI".
        let mut request = request
            .headers(self.bank_headers.clone())
            .bearer_auth(token)
            // L2420: "Accept/SI"
            .header(ACCEPT, "application/json")
            .header("X-Invoker-ProcessDate", &invoker.process_date)
            .header("X-Invoker-TxId", &invoker.tx_id)
            .header("X-Invoker-ProcessId", &invoker.process_id)
            // L2424: "X-Invoker-TerminalIdTerm codeCodigo de la terminal - ¿Como identifica SER las terminales de los PDS?SI"
            .header("X-Invoker-TerminalId", terminal)
            // L2426: "X-Invoker-UserIPAddressClient IP AddressIP de la terminal que ejecuta la aplicaciónSI"
            .header("X-Invoker-UserIPAddress", user_ip)
            // L2427: "X-Invoker-ServerIPAddressServer IP AddressIP servidor de aplicación que ejecuta la transacciónSI"
            .header("X-Invoker-ServerIPAddress", server_ip)
            // L2442: "X-Invoker-ModifierUserModification userEnviar espaciosSI"
            .header("X-Invoker-ModifierUser", modifier);
        for (name, value) in FIXED_HEADERS {
            request = request.header(*name, *value);
        }
        // L2432: "X-Invoker-SessionKeySession keyTOKEN del consumo al API 30 primeras posicionesSI".
        let session: String = token.chars().take(30).collect();
        if let Ok(mut value) = HeaderValue::from_str(&session) {
            value.set_sensitive(true);
            request = request.header("X-Invoker-SessionKey", value);
        }
        request
    }

    /// `PUT transfers-management/v1/deposit` with the stored body.
    pub(super) async fn bank_deposit(&self, kind: DepositType, body: &RawValue) -> Outcome {
        let Some(trn) = head(body).and_then(|h| h.trn) else {
            return Outcome::Rejected {
                code: INVALID_CALL.into(),
                text: "el cuerpo no es un depósito (falta trn)".into(),
            };
        };
        if !trn.kind.as_deref().is_some_and(|k| kind.matches(k)) {
            return Outcome::Rejected {
                code: INVALID_CALL.into(),
                text: format!(
                    "el cuerpo es de tipo {}, no {}",
                    trn.kind.as_deref().unwrap_or("(ninguno)"),
                    kind.as_str()
                ),
            };
        }
        if trn.trn_rq_uid.as_deref().is_none_or(|u| u.trim().is_empty()) {
            return Outcome::Rejected { code: INVALID_CALL.into(), text: "el depósito no tiene trnRqUID".into() };
        }
        let Some(wire) = wire_body(body) else {
            return Outcome::Rejected { code: INVALID_CALL.into(), text: "el cuerpo no es un depósito completo".into() };
        };
        // A row queued before the headers were kept with it: today's date in the bank's zone.
        let invoker = invoker_headers(body).unwrap_or_else(|| {
            let today = chrono::Utc::now().with_timezone(&self.bank_zone()).date_naive();
            let tx_id = invoker_tx_id(today);
            InvokerHeaders { process_date: today.format("%Y-%m-%d").to_string(), process_id: tx_id.clone(), tx_id }
        });
        let point_code = serde_json::from_str::<StoredDeposit>(body.get()).map(|d| d.trn.code).unwrap_or_default();
        // L2410: "PUT: /transfers-management/v1/deposit:"
        let url = self.endpoint(&["deposit"]);
        let text = wire.get();
        let exchange = self
            .authorized(|token| {
                self.bank_call(self.http.put(url.clone()), token, &invoker, &point_code)
                    .header(CONTENT_TYPE, "application/json")
                    .body(text.to_owned())
            })
            .await;
        match exchange {
            Err(err) => self.outcome_of_token_error(err),
            Ok(Exchange::Answered { status, body }) => deposit_outcome(status, &body),
            Ok(failure) => outcome_of_exchange_failure(failure)
                .unwrap_or_else(|| Outcome::Unknown { detail: "respuesta inesperada".into() }),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use chrono::FixedOffset;

    fn point() -> ServicePoint {
        ServicePoint {
            code: "123456789123456".into(),
            branch_name: "MI OFICINA BETTY".into(),
            city_id: "25386".into(),
            city: "LA MESA".into(),
            state_prov: "25".into(),
        }
    }

    #[test]
    fn deposit_and_reversal_bodies_follow_the_table() {
        let at = FixedOffset::west_opt(4 * 3600).unwrap().with_ymd_and_hms(2025, 3, 10, 15, 37, 59).unwrap();
        let body =
            deposit_body("123456", "20000000001", "10000000001", Money::from_centavos(9_900), at, &point(), TipoDeposito::CodigoNR);
        let wire = wire_body(&body).unwrap();
        assert_eq!(
            wire.get(),
            r#"{"trn":{"transactionHour":"15:37:59","code":"123456789123456","depAcctIdTo":{"acctId":"20000000001"},"curAmt":{"amt":99.00},"type":"N","trnRqUID":"123456","branchName":"MI OFICINA BETTY","cityId":"25386","city":"LA MESA","stateProv":"25","depAcctIdFrom":{"acctId":"10000000001"}}}"#
        );
        let invoker = invoker_headers(&body).unwrap();
        assert_eq!(invoker.process_date, "2025-03-10");
        assert_eq!(invoker.process_id, invoker.tx_id);
        let reversal = reversal_body(&body).unwrap();
        assert_eq!(wire_body(&reversal).unwrap().get(), wire.get().replace(r#""type":"N""#, r#""type":"R""#));
        assert_eq!(trn_rq_uid(&reversal).as_deref(), Some("123456"));
        assert!(reversal_body(&reversal).is_err());
        assert!(valid_trn_rq_uid("000123") && !valid_trn_rq_uid("12345") && !valid_trn_rq_uid("12345a"));
        let words =
            deposit_body("123457", "20000000001", "10000000001", Money::from_centavos(9_900), at, &point(), TipoDeposito::Palabras);
        assert!(wire_body(&words).unwrap().get().contains(r#""type":"Normal""#));
        assert!(wire_body(&reversal_body(&words).unwrap()).unwrap().get().contains(r#""type":"Reverso""#));
    }

    #[test]
    fn a_reversal_repeats_the_book_date_and_amount_of_its_deposit_whenever_it_is_sent() {
        // Deposited late on 10 March in the bank's zone; voided days later.
        let at = FixedOffset::west_opt(4 * 3600).unwrap().with_ymd_and_hms(2025, 3, 10, 23, 59, 30).unwrap();
        let body =
            deposit_body("654321", "20000000001", "10000000001", Money::from_centavos(15_050), at, &point(), TipoDeposito::CodigoNR);
        let reversal = reversal_body(&body).unwrap();
        let (original, reverse) = (invoker_headers(&body).unwrap(), invoker_headers(&reversal).unwrap());
        assert_eq!(reverse.process_date, original.process_date, "P1: FEC.LIB ... DEBEN COINC.");
        assert_eq!(reverse.process_date, "2025-03-10");
        assert_eq!(reverse.process_id, original.tx_id, "the reversal names its deposit's TxId");
        // The amount's JSON text, never through a float.
        let amount = |b: &RawValue| {
            let text = wire_body(b).unwrap().get().to_string();
            let at = text.find(r#""curAmt":"#).unwrap();
            let hour = text.find(r#""transactionHour":"#).unwrap();
            (text[at..at + 23].to_string(), text[hour..hour + 28].to_string())
        };
        assert_eq!(amount(&reversal), amount(&body));
        assert_eq!(amount(&body).0, r#""curAmt":{"amt":150.50}"#);
        assert_eq!(amount(&body).1, r#""transactionHour":"23:59:30""#);
    }

    #[test]
    fn tx_id_follows_the_recipe_within_sixteen_characters() {
        let id = invoker_tx_id(NaiveDate::from_ymd_opt(2025, 3, 10).unwrap());
        assert_eq!(id.len(), 16, "L2431: Largo máximo 16 caracteres");
        assert!(id.starts_with("APIF5069") && id[4..].bytes().all(|b| b.is_ascii_digit()) && &id[8..10] == "32");
    }

    #[test]
    fn offsets_are_read_strictly() {
        assert_eq!(parse_offset("-04:00"), FixedOffset::west_opt(4 * 3600));
        assert_eq!(parse_offset("+05:30"), FixedOffset::east_opt(5 * 3600 + 1800));
        for bad in ["-4", "04:00", "-04:60", "+15:00", "-04:00:00", "UTC-4", ""] {
            assert_eq!(parse_offset(bad), None, "{bad}");
        }
        assert_eq!(bank_offset(None), FixedOffset::west_opt(4 * 3600).unwrap());
    }

    #[test]
    fn reads_answers_without_panicking() {
        let ok = br#"{"responseType":{"value":"OK"},"trn":{"approvalId":"Z69599FB119FB12927E1"}}"#;
        assert_eq!(deposit_outcome(200, ok), Outcome::Acked { provider_ref: Some("Z69599FB119FB12927E1".into()) });
        assert!(matches!(deposit_outcome(200, b"not json"), Outcome::Unknown { .. }));
        assert!(matches!(deposit_outcome(500, b""), Outcome::Unknown { .. }));
        assert!(matches!(deposit_outcome(504, b"<html>"), Outcome::Unknown { .. }));
        let er500 =
            br#"{"responseType":{"value":"ER500"},"responseDetail":{"errorCode":"","errorDesc":"","errorType":""}}"#;
        // L362: an unidentified error is a 500 that does not say it was not processed.
        assert!(matches!(deposit_outcome(500, er500), Outcome::Unknown { .. }));
        assert!(is_duplicate_reference("N3") && is_duplicate_reference("PM") && !is_duplicate_reference("W2"));
        let w2 = br#"{"responseType":{"value":"ER"},"responseDetail":{"errorCode":"W2","errorDesc":"FONDOS INSUFICIENTES PARA RETIRO","errorType":"TRX"}}"#;
        assert_eq!(
            deposit_outcome(400, w2),
            Outcome::Rejected { code: "W2".into(), text: "FONDOS INSUFICIENTES PARA RETIRO".into() }
        );
        // An error inside a 200.
        assert!(matches!(deposit_outcome(200, w2), Outcome::Rejected { ref code, .. } if code == "W2"));
    }
}
