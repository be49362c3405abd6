//! Bank transfers-management v1 (`/transfers-management/v1/...`): transfers (own, third
//! party, interbank), fees, the correspondent deposit (Normal and Reverso), Transfiya
//! send / pending / accept and pockets. Every error has the contract's shape
//! `{"responseType": {"value": "ER"}, "responseDetail": {errorCode, errorDesc, errorType}}`
//! with a code from the contract's tables and the HTTP status the table gives it.

use axum::body::Bytes;
use axum::extract::{Path, RawQuery, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use axum::routing::{get, post, put};
use axum::{Json, Router};
use rand::Rng;
use serde::{Deserialize, Serialize};
use serde_json::json;
use serde_json::value::RawValue;

use super::auth::{self, BankClient};
use super::state::{self, Keyed, Operation, Reply, BANK};
use super::wire::{self, present, WireDecimal};
use super::{Shared, SimulatorConfig};
use crate::domain::Money;

pub const BASE: &str = "/transfers-management/v1";

pub fn routes() -> Router<Shared> {
    Router::new()
        .route(super::BANK_TOKEN_STAND_IN, post(auth::bank_token))
        .route("/transfers-management/v1/transfers", post(transfer))
        .route("/transfers-management/v1/fees", post(fees))
        .route("/transfers-management/v1/deposit", put(deposit))
        .route("/transfers-management/v1/transfiya/credit", post(transfiya_send))
        .route("/transfers-management/v1/transfiya/transfers/{cellphone}/pending/get", get(transfiya_pending))
        .route("/transfers-management/v1/transfiya/transfers/agree", put(transfiya_agree))
        .route("/transfers-management/v1/transfers/pockets", post(pockets))
}

// ---------------------------------------------------------------------------------------
// Errors

/// The contract's error tables, as `(table, HTTP status, errorCode, errorType, errorDesc)`.
/// Rows that are only "(Core system error)" placeholders are left out.
pub const DOCUMENTED: &[(&str, u16, &str, &str, &str)] = &[
    // Error codes for any type of transfer.
    ("transfers", 500, "ZEROS", "TPS", "ERROR DE INICIO TX"),
    ("transfers", 500, "ZEROS", "TPX", "FALLO EL COMMIT DE LA TRANSACCION"),
    ("transfers", 500, "SQLCODE", "TPS", "Error de Inicio TP"),
    ("transfers", 500, "SQLCODE", "ORA", "FSESTSIS:ERROR LEYENDO TABLA CA1401BANK"),
    ("transfers", 500, "SQLCODE", "ORA", "ERROR LEYENDO TABLA FS8003PARAM_TXFINANCI"),
    ("transfers", 404, "SQLCODE", "VAL", "REGISTRO NO EXISTE"),
    ("transfers", 500, "2", "TRS", "EN EL MOMENTO NO LO PODEMOS ATENDER BM00134037"),
    ("transfers", 400, "10002", "TPS", "VERIFIQUE STATUS FSBMCU_BMVALCT2"),
    ("transfers", 500, "10003", "TPS", "VERIFIQUE STATUS STAR_COMMMGR"),
    ("transfers", 400, "10004", "TPS", "ERROR CON EL CODIGO DE PROCESO"),
    ("transfers", 400, "10006", "TPS", "VERIFIQUE STATUS UTILCB_CONSNOMT"),
    ("transfers", 400, "11111", "EXP", "Producto/Cuenta destino debe ser numérico"),
    ("transfers", 400, "11112", "EXP", "Campo Concepto deber ser alfanumérico"),
    ("transfers", 400, "163", "VAL", "CUENTA ES CUENTA CANCELADA"),
    ("transfers", 400, "6905", "VAL", "CUENTA CON BLOQUEO BM"),
    ("transfers", 400, "11101", "VAL", "CUENTA ES CUENTA INACTIVA"),
    ("transfers", 400, "11102", "VAL", "CUENTA CON BLOQUEO FS :"),
    ("transfers", 400, "11103", "VAL", "CUENTA ES CUENTA DE PENSIONADO ISS"),
    ("transfers", 400, "11104", "VAL", "CUENTA ES CUENTA DE PENSIONADO"),
    ("transfers", 400, "11105", "VAL", "CUENTA DE AHORROS PROGRAMADO"),
    ("transfers", 400, "11106", "VAL", "CUENTA ES CUENTA RECAUDADORA"),
    ("transfers", 400, "11109", "VAL", "CUENTA DE PRESTAMO O CDT:"),
    ("transfers", 400, "11110", "VAL", "CUENTA ORIGEN IGUAL A CUENTA DESTINO"),
    ("transfers", 500, "SQLCODE", "ORA", "CA0201ACCOUNT"),
    ("transfers", 404, "SQLCODE", "ORA", "NO EXISTE REGISTRO CC0105CLIENTNUM"),
    ("transfers", 404, "SQLCODE", "ORA", "NO EXISTE REGISTRO CD0105CLIENT,CD0102RCLIENT"),
    ("transfers", 500, "SQLCODE", "ORA", "TABLAS CD0105CLIENT,CD0102RCLIENT"),
    ("transfers", 500, "SQLCODE", "ORA", "CC0105CLIENTNUM"),
    ("transfers", 500, "SQLCODE", "ORA", "SELECT CD0105CLIENT"),
    ("transfers", 500, "SQLCODE", "TPS", "ERROR DE INICIO TP"),
    ("transfers", 400, "5620", "RGN", "NO EXISTE NÚMERO DE CUENTA"),
    ("transfers", 400, "5621", "RGN", "NO EXISTE TITULAR PARA LA CTA"),
    ("transfers", 400, "14257", "AUT", "ERROR AL GENERAR SECUENCIA DE AUTORIZACION"),
    ("transfers", 400, "35704", "ERN", "Numero de Tarjeta no es valido"),
    ("transfers", 404, "35705", "ERN", "Numero de Tarjeta no encontrado"),
    ("transfers", 400, "35706", "ERN", "La tarjeta no tiene cuenta corriente relacionada"),
    ("transfers", 400, "35707", "ERN", "La tarjeta no tiene cuenta de ahorros relacionada"),
    ("transfers", 400, "35708", "ERN", "Tipo de cuenta no es valido"),
    ("transfers", 400, "35709", "ERN", "Error Validando Cuenta"),
    ("transfers", 400, "N1", "TRX", "DEBE INGRESAR REFERENCIA DE LA TRANSACCION"),
    ("transfers", 400, "N2", "TRX", "REF.DE TRANSAC.DEBE IDENTIFICAR USUARIO VALIDO"),
    ("transfers", 400, "N3", "TRX", "REF.TRANSAC.PARA NUEVAS NEGOC.DEBE SER UNICA"),
    ("transfers", 400, "N4", "TRX", "REF.TRAN.PARA REVER.DEBE IDEN.NEGOC.VAL.NO REV."),
    ("transfers", 400, "N5", "TRX", "FECHA DE ENTRADA DEBE SER FECHA VALIDA"),
    ("transfers", 400, "N6", "TRX", "HORA DE ENTRADA DEBE SER HORA VALIDA"),
    ("transfers", 400, "N7", "TRX", "FECHA EN LIBROS DEBE SER FECHA VALIDA"),
    ("transfers", 404, "NC", "TRX", "CUENTA NO EXISTE"),
    ("transfers", 400, "ND", "TRX", "CUENTA CERRADA"),
    ("transfers", 400, "NF", "TRX", "CUENTA BLOQUEADA"),
    ("transfers", 400, "NG", "TRX", "REF. ALTERNA. DEBE IDENTIFICAR CTA.EXISTENTE"),
    ("transfers", 400, "NH", "TRX", "MONEDA PRINCIPAL DEBE SER UNA MONEDA VALIDA"),
    ("transfers", 400, "NI", "TRX", "MONEDA PPAL. DEBE SER MONEDA DE CTA. PRINCIPAL"),
    ("transfers", 400, "NJ", "TRX", "CUENTA SECUNDARIA DEBE SER CUENTA VALIDA"),
    ("transfers", 400, "NK", "TRX", "CUENTA SECUNDARIA NO SE PUEDE CERRAR"),
    ("transfers", 400, "NL", "TRX", "CUENTA SECUNDARIA NO PUEDE ESTAR BLOQUEADA"),
    ("transfers", 400, "NM", "TRX", "TERCERA CUENTA DEBE SER CTA. VALIDA"),
    ("transfers", 400, "NN", "TRX", "TERCERA CUENTA NO SE PUEDE CERRAR"),
    ("transfers", 400, "NO", "TRX", "TERCERA CUENTA NO PUEDE ESTAR BLOQUEADA"),
    ("transfers", 400, "NP", "TRX", "COD.OFIC.ORIGEN DEBE IDENTIFICAR OFIC. VALIDA"),
    ("transfers", 400, "NQ", "TRX", "COD.OFIC.DESTINO DEBE IDENTIFICAR OFIC.VALIDA"),
    ("transfers", 400, "NR", "TRX", "DEBE IDENTIFICAR UN TIPO DE NEGOCIACION VALIDO"),
    ("transfers", 400, "NS", "TRX", "MONTO PRINCIPAL DE TRANSACCION DEBE SER VALIDO"),
    ("transfers", 400, "NT", "TRX", "VALOR DE MONTO 1 DEBE SER UN MONTO VALIDO"),
    ("transfers", 400, "NU", "TRX", "VALOR DE MONTO 2 DEBE SER UN MONTO VALIDO"),
    ("transfers", 400, "NV", "TRX", "VALOR DE MONTO 3 DEBE SER UN MONTO VALIDO"),
    ("transfers", 400, "NW", "TRX", "VALOR DE MONTO 4 DEBE SER UN MONTO VALIDO"),
    ("transfers", 400, "NX", "TRX", "VALOR DE MONTO 5 DEBE SER UN MONTO VALIDO"),
    ("transfers", 400, "OD", "TRX", "INDICADOR POSTEO FORZADO DEBE SER 'D','N'O'F'"),
    ("transfers", 400, "OE", "TRX", "IMPUESTO CALCULADO DEBE SER 'Y O 'N'"),
    ("transfers", 400, "OF", "TRX", "SOPORTE OFICINA DEBE SER 'Y O 'N'"),
    ("transfers", 400, "OT", "TRX", "INTERCAMBIO M O D"),
    ("transfers", 400, "OU", "TRX", "MONTO PRINCIPAL BASE EQUIV. DEBE SER VALIDO"),
    ("transfers", 400, "OV", "TRX", "MONTO PPAL BASE EQUIV.NO PUEDE ING.SI MON.EXT."),
    ("transfers", 400, "OW", "TRX", "MONTO PPAL BASE EQUIV.DEBE ING.SI ING.MON.EXTR."),
    ("transfers", 400, "OX", "TRX", "MONTO EXTRANJERO BASE EQUIV. DEBE SER VALIDO"),
    ("transfers", 400, "OY", "TRX", "MONTO EXT.BASE EQUIV.NO PUEDE ING.SI MONEDA EXT"),
    ("transfers", 400, "OZ", "TRX", "MONTO EXT.BASE EQUIV.DEBE ING.SI ING.MONEDA EXT"),
    ("transfers", 400, "P1", "TRX", "REF.NEG.REV.MONTO,FEC.LIB Y MONTO DEBEN COINC."),
    ("transfers", 400, "PA", "TRX", "CTA. PRINCIPAL, FRACCIONAMIENTO NO PERMITIDO"),
    ("transfers", 500, "PB", "TRX", "CTA.PPAL PARCIAL.BLOQ.MONTO TRANS.EXCEDE SALDO"),
    ("transfers", 400, "PH", "TRX", "MONTO NO COINCIDE"),
    ("transfers", 400, "PJ", "TRX", "CANAL NO VALIDO"),
    ("transfers", 400, "PK", "TRX", "FECHA INGRESO DEBE SER IGUAL A FECHA SISTEMA"),
    ("transfers", 400, "PM", "TRX", "REFERENCIA DEAL YA EXISTE. REINTENTE"),
    ("transfers", 400, "W1", "TRX", "FECHA EN LIBROS NO DEBE SER < NUM.MAXIMO DIAS"),
    ("transfers", 400, "W2", "TRX", "FONDOS INSUFICIENTES PARA RETIRO"),
    ("transfers", 400, "W4", "TRX", "TRANSACCION POSTEADA PARA REINTENTO"),
    ("transfers", 400, "W5", "TRX", "SE ALCANZO EL MAXIMO NUMERO DE REINTENTOS"),
    ("transfers", 400, "W6", "TRX", "CUENTA BLOQUEADA PARA CREDITOS"),
    ("transfers", 400, "W7", "TRX", "CUENTA BLOQUEADA PARA DEBITOS"),
    ("transfers", 400, "W8", "TRX", "CUENTA BLOQUEADA CREDITOS/DEBITOS"),
    // The row reads "400OSB10001": read as code 10001, type OSB, like its neighbours.
    ("transfers", 400, "10001", "OSB", "El valor enviado en el campo tipoTransferencia no es válido."),
    ("transfers", 400, "28108", "AUT", "TRANSACCION DE UTILIZACION - EXCEDE EL MONTO MAXIMO"),
    ("transfers", 400, "28110", "AUT", "TRANSACCION DE UTILIZACION - EXCEDE ACUMULADO DIARIO"),
    ("transfers", 400, "28112", "AUT", "TRANSACCION DE UTILIZACION - EXCEDE ACUMULADO MENSUAL"),
    ("transfers", 400, "28127", "AUT", "TRANSACCION DE UTILIZACION - EXCEDE EL MONTO DEFEC/MAXIMO"),
    ("transfers", 400, "28129", "AUT", "TRANSACCION DE UTILIZACION - EXCEDE ACUMULADO DEFEC/DIARIO"),
    ("transfers", 400, "28131", "AUT", "TRANSACCION DE UTILIZACION - EXCEDE ACUMULADO DEFEC/MENSUAL"),
    ("transfers", 400, "28134", "AUT", "TRANSACCION DE UTILIZACION - EXCEDE MONTO ACUMULADO POR DIA"),
    ("transfers", 400, "28136", "AUT", "TRANSACCION DE UTILIZACION - EXCEDE MONTO ACUMULADO POR MES"),
    ("transfers", 400, "28247", "AUT", "PRODUCT BLOCKED FOR THIS CHANNEL"),
    ("transfers", 400, "28248", "AUT", "PRODUCT BLOCKED FOR THIS CHANNEL - SUBCHANNEL"),
    // Fees.
    ("fees", 400, "14252", "TPS", "VERIFIQUE STATUS COMMMGR"),
    ("fees", 500, "14257", "AUT", "ERROR AL GENERAR SECUENCIA DE AUTORIZACION"),
    ("fees", 500, "SQLCODE", "ORA", "CA2301CARD"),
    ("fees", 404, "05620", "RGN", "NO EXISTE NÚMERO DE CUENTA"),
    ("fees", 404, "05621", "RGN", "NO EXISTE TITULAR PARA LA CTA"),
    ("fees", 400, "24543", "RGN", "NUM. TARJETA INVALIDO"),
    ("fees", 500, "35709", "ERN", "Error Validando Cuenta"),
    // Common codes of Transfiya.
    ("transfiya", 404, "20001", "RGN", "MATRICULA INEXISTENTE"),
    ("transfiya", 404, "20002", "RGN", "TRANSACCION INEXISTENTE"),
    ("transfiya", 400, "20101", "RGN", "EL CAMPO $ NO SE PERMITE NULO O VACIO"),
    ("transfiya", 404, "00001", "RGN", "No existen transferencias pendientes por Recibir"),
    ("transfiya", 404, "00002", "RGN", "No existen transferencias pendientes por Enviar"),
    ("transfiya", 404, "00003", "RGN", "No existen transferencias recientes"),
    ("transfiya", 404, "00004", "RGN", "No existe Relación de confianza."),
    ("transfiya", 400, "00123", "RES", "Se excede monto permitido para esta transacción"),
    ("transfiya", 400, "00010", "EXP", "Función no disponible"),
    ("transfiya", 400, "00005", "RGN", "Numero de Celular YA Matriculado"),
    ("transfiya", 400, "00101", "RGN", "Numero de Celular YA Matriculado"),
    ("transfiya", 400, "11102", "VAL", "CUENTA CON BLOQUEO FS"),
    ("transfiya", 400, "00163", "VAL", "CUENTA ES CUENTA CANCELADA"),
    ("transfiya", 400, "11101", "VAL", "CUENTA ES CUENTA INACTIVA"),
    ("transfiya", 400, "06905", "VAL", "CUENTA CON BLOQUEO BM"),
    ("transfiya", 400, "11105", "VAL", "CUENTA DE AHORROS PROGRAMADO"),
    ("transfiya", 400, "11109", "VAL", "CUENTA DE PRESTAMO O CDT"),
    ("transfiya", 400, "01101", "RGN", "TRANSACCION DE RECHAZO YA PROCESADA"),
    ("transfiya", 400, "11201", "RGN", "CUENTA NO POSEE FONDOS PARA ESTA OPERACIÓN."),
    ("transfiya", 400, "01102", "RGN", "TRANSFERENCIA NO PUEDE SER ACEPTADA POR EL MISMO CLIENTE."),
    ("transfiya", 500, "00304", "RGN", "Error en la eliminacion de la relacion de confianza."),
    // Pockets.
    ("pockets", 400, "00001", "INP", "La longitud del mensaje de entrada no es correcta"),
    ("pockets", 500, "00011", "EXP", "m"),
    ("pockets", 500, "30024", "PRA", "m"),
];

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct BankError {
    pub status: u16,
    /// `responseType.value`: "ER", or "ER500" as the deposit's error example shows.
    pub value: &'static str,
    pub code: String,
    pub kind: String,
    pub desc: String,
}

/// The documented row for `code` (the first one; `status` picks among repeated codes).
pub fn documented(code: &str, status: Option<u16>) -> Option<BankError> {
    DOCUMENTED.iter().find(|(_, s, c, _, _)| *c == code && status.is_none_or(|wanted| wanted == *s)).map(
        |(_, status, code, kind, desc)| BankError {
            status: *status,
            value: "ER",
            code: code.to_string(),
            kind: kind.to_string(),
            desc: desc.to_string(),
        },
    )
}

/// A documented code the simulator itself answers with; the table above has it.
fn doc(code: &str) -> BankError {
    documented(code, None).unwrap_or_else(|| panic!("code {code} is in the documented table"))
}

/// Transfiya's and pockets' codes repeat codes of other tables; these pick their own rows.
fn doc_in(table: &str, code: &str) -> BankError {
    DOCUMENTED
        .iter()
        .find(|(t, _, c, _, _)| *t == table && *c == code)
        .map(|(_, status, code, kind, desc)| BankError {
            status: *status,
            value: "ER",
            code: code.to_string(),
            kind: kind.to_string(),
            desc: desc.to_string(),
        })
        .unwrap_or_else(|| panic!("code {code} is in the {table} table"))
}

/// Transfiya's "EL CAMPO $ NO SE PERMITE NULO O VACIO" with the field named.
fn empty_field(field: &str) -> BankError {
    let mut err = doc_in("transfiya", "20101");
    err.desc = err.desc.replace('$', field);
    err
}

impl BankError {
    /// An error the core does not identify: L362 "Any error that is not identified will
    /// return a 500", in the deposit's `ER500` shape with an empty detail.
    pub fn unidentified() -> BankError {
        BankError { status: 500, value: "ER500", code: String::new(), kind: String::new(), desc: String::new() }
    }

    /// The contract's "EN EL MOMENTO NO LO PODEMOS ATENDER" (500); on the deposit route
    /// with the `ER500` value of its error example.
    pub fn unavailable(path: &str) -> BankError {
        let mut err = doc("2");
        if path.ends_with("/deposit") {
            err.value = "ER500";
        }
        err
    }

    /// Missing or wrong `client_id` / `client_secret` / bearer token. The contract leaves
    /// these to the API gateway; the simulator answers 401 in the common error shape.
    pub fn unauthorized(desc: &str) -> BankError {
        BankError { status: 401, value: "ER", code: "401".into(), kind: "SEC".into(), desc: desc.into() }
    }

    /// A body that is not the JSON the resource expects (the APIKit validation error).
    pub fn bad_request(desc: String) -> BankError {
        BankError { status: 400, value: "ER", code: "400".into(), kind: "APIKIT".into(), desc }
    }
}

impl From<rusqlite::Error> for BankError {
    fn from(_: rusqlite::Error) -> Self {
        BankError::unavailable("")
    }
}

impl IntoResponse for BankError {
    fn into_response(self) -> Response {
        let status = StatusCode::from_u16(self.status).unwrap_or(StatusCode::INTERNAL_SERVER_ERROR);
        let body = json!({
            "responseType": { "value": self.value },
            "responseDetail": { "errorCode": self.code, "errorDesc": self.desc, "errorType": self.kind },
        });
        (status, Json(body)).into_response()
    }
}

type BankResult = Result<Response, BankError>;

fn parse<T: serde::de::DeserializeOwned>(body: &[u8]) -> Result<T, BankError> {
    wire::parse_body(body).map_err(BankError::bad_request)
}

fn keyed_reply(outcome: Keyed, conflict: BankError) -> BankResult {
    match outcome {
        Keyed::Fresh(reply) => Ok(wire::respond(reply)),
        Keyed::Replayed(reply) => {
            let mut response = wire::respond(reply);
            response.extensions_mut().insert(super::faults::Replayed);
            Ok(response)
        }
        Keyed::Conflict => Err(conflict),
    }
}

// ---------------------------------------------------------------------------------------
// Shared pieces of the request bodies

#[derive(Deserialize, Default)]
struct AcctRef {
    #[serde(rename = "acctId")]
    acct_id: Option<String>,
    #[serde(rename = "acctType")]
    acct_type: Option<String>,
    #[serde(rename = "cellPhone")]
    cell_phone: Option<String>,
}

#[derive(Deserialize, Default)]
struct CurAmt {
    amt: Option<WireDecimal>,
}

#[derive(Deserialize, Default)]
struct Fee {
    #[serde(rename = "curAmt", default)]
    cur_amt: CurAmt,
}

fn acct(value: &Option<AcctRef>) -> Option<&str> {
    value.as_ref().and_then(|a| present(&a.acct_id))
}

fn cell(value: &Option<AcctRef>) -> Option<&str> {
    value.as_ref().and_then(|a| present(&a.cell_phone))
}

/// Missing and blocked accounts come from the configuration; every other well-formed
/// account number exists.
fn check_account(
    config: &SimulatorConfig,
    acct_id: &str,
    missing: BankError,
    blocked: BankError,
) -> Result<(), BankError> {
    if config.missing_accounts.contains(acct_id) {
        Err(missing)
    } else if config.blocked_accounts.contains(acct_id) {
        Err(blocked)
    } else {
        Ok(())
    }
}

fn approval_id() -> String {
    let mut rng = rand::thread_rng();
    (0..20).map(|_| char::from(b"0123456789ABCDEF"[rng.gen_range(0..16)])).collect()
}

fn pse_trn_code() -> String {
    auth::random_token(17)
}

fn fee_amount(fee: &Option<Fee>) -> Option<Money> {
    match fee.as_ref().and_then(|f| f.cur_amt.amt.as_ref()) {
        None => Some(Money::ZERO),
        Some(amt) => amt.money().filter(|m| !m.is_negative()),
    }
}

/// Commission per processing code (the fees resource's table of codes).
const FEE_SCHEDULE: &[(&str, i64)] =
    &[("88018", 0), ("88013", 500), ("88029", 3_000), ("88030", 5_500), ("88032", 10_000), ("77134", 0)];

fn fee_for(processing_code: &str) -> Option<Money> {
    FEE_SCHEDULE.iter().find(|(code, _)| *code == processing_code).map(|(_, c)| Money::from_centavos(*c))
}

// ---------------------------------------------------------------------------------------
// Transfers

#[derive(Deserialize)]
struct TransferRequest {
    #[serde(rename = "refId")]
    ref_id: Option<String>,
    #[serde(rename = "xFerRec")]
    xfer_rec: Option<XferRec>,
    #[serde(rename = "custPayeeInfo")]
    cust_payee_info: Option<CustPayeeInfo>,
    fee: Option<Fee>,
    #[serde(rename = "xFerInfo")]
    xfer_info: Option<TransferInfo>,
    #[serde(rename = "bankInfo")]
    bank_info: Option<BankInfo>,
}

#[derive(Deserialize)]
struct XferRec {
    #[serde(rename = "categCode")]
    categ_code: Option<String>,
}

#[derive(Deserialize, Serialize, Default, Clone)]
struct CustPayeeInfo {
    #[serde(rename = "refId")]
    ref_id: Option<String>,
    #[serde(rename = "govIssueIdent")]
    gov_issue_ident: Option<GovIssueIdent>,
}

#[derive(Deserialize, Serialize, Default, Clone)]
struct GovIssueIdent {
    #[serde(rename = "govIssueIdentType")]
    gov_issue_ident_type: Option<String>,
    #[serde(rename = "identSerialNum")]
    ident_serial_num: Option<String>,
}

#[derive(Deserialize, Serialize, Default, Clone)]
struct BankInfo {
    #[serde(rename = "branchIdFrom")]
    branch_id_from: Option<String>,
    #[serde(rename = "branchIdTo")]
    branch_id_to: Option<String>,
}

#[derive(Deserialize, Default)]
struct TransferInfo {
    #[serde(rename = "personName")]
    person_name: Option<PersonName>,
    #[serde(rename = "depAcctIdFrom")]
    from: Option<AcctRef>,
    #[serde(rename = "processingCode")]
    processing_code: Option<String>,
    #[serde(rename = "pseTrnCode")]
    pse_trn_code: Option<String>,
    amt: Option<WireDecimal>,
    desc: Option<String>,
    #[serde(rename = "bankId")]
    bank_id: Option<String>,
    #[serde(rename = "depAcctIdTo")]
    to: Option<AcctRef>,
    #[serde(rename = "xFerId")]
    xfer_id: Option<String>,
    #[serde(rename = "origDt")]
    orig_dt: Option<String>,
}

#[derive(Deserialize, Serialize, Default, Clone)]
struct PersonName {
    #[serde(rename = "fullName")]
    full_name: Option<String>,
}

/// `xFerRec.categCode` of the three transfer kinds. The contract names the field but
/// lists only the codes of other resources (CCR, TFI); these three are the simulator's.
const TRANSFER_KINDS: &[(&str, &str)] =
    &[("OWN", "transfer_own"), ("THIRD", "transfer_third"), ("INTERBANK", "transfer_interbank")];

#[derive(Serialize)]
struct CanonicalTransfer {
    ref_id: String,
    categ_code: String,
    cust_payee_info: Option<CustPayeeInfo>,
    fee: Money,
    full_name: Option<String>,
    from: String,
    processing_code: Option<String>,
    pse_trn_code: Option<String>,
    amount: Money,
    desc: Option<String>,
    bank_id: Option<String>,
    to: String,
    to_type: Option<String>,
    xfer_id: Option<String>,
    orig_dt: Option<String>,
    bank_info: Option<BankInfo>,
}

fn alphanumeric_text(text: &str) -> bool {
    text.chars().all(|c| c.is_alphanumeric() || " .,-/#".contains(c))
}

async fn transfer(State(sim): State<Shared>, client: BankClient, body: Bytes) -> BankResult {
    let request: TransferRequest = parse(&body)?;
    let (canonical, operation) = canonical_transfer(request)?;
    let (hash, key) = (wire::request_hash(&canonical), canonical.ref_id.clone());
    let scope = format!("bank:{}:transfer", client.client_id);
    let sim2 = sim.clone();
    let apply = move |tx: &rusqlite::Transaction<'_>| commit_transfer(tx, &sim2.config, &client.client_id, operation, &canonical);
    let outcome = sim.db.keyed(scope, key, hash, apply).await?;
    keyed_reply(outcome, doc("PM"))
}

/// The transfer request checked field by field, as its idempotency hash is taken, with
/// the kind of operation its `categCode` names.
fn canonical_transfer(request: TransferRequest) -> Result<(CanonicalTransfer, &'static str), BankError> {
    let ref_id = present(&request.ref_id).ok_or_else(|| doc("N1"))?.to_string();
    let categ_code = request.xfer_rec.as_ref().and_then(|r| present(&r.categ_code)).unwrap_or("");
    let operation = TRANSFER_KINDS.iter().find(|(code, _)| *code == categ_code).map(|(_, op)| *op);
    let operation = operation.ok_or_else(|| doc("10001"))?;
    let info = request.xfer_info.unwrap_or_default();
    let amount = info.amt.as_ref().and_then(WireDecimal::positive_money).ok_or_else(|| doc("NS"))?;
    let fee = fee_amount(&request.fee).ok_or_else(|| doc("NT"))?;
    let from = acct(&info.from).filter(|a| wire::is_digits(a)).ok_or_else(|| doc("NC"))?.to_string();
    let to = acct(&info.to).filter(|a| wire::is_digits(a)).ok_or_else(|| doc("11111"))?.to_string();
    if from == to {
        return Err(doc("11110"));
    }
    let desc = present(&info.desc).map(str::to_string);
    if desc.as_deref().is_some_and(|d| !alphanumeric_text(d)) {
        return Err(doc("11112"));
    }
    let processing_code = present(&info.processing_code).map(str::to_string);
    if processing_code.as_deref().is_some_and(|c| fee_for(c).is_none()) {
        return Err(doc("10004"));
    }
    let canonical = CanonicalTransfer {
        ref_id,
        categ_code: categ_code.to_string(),
        cust_payee_info: request.cust_payee_info,
        fee,
        full_name: info.person_name.and_then(|p| p.full_name),
        from,
        processing_code,
        pse_trn_code: present(&info.pse_trn_code).map(str::to_string),
        amount,
        desc,
        bank_id: present(&info.bank_id).map(str::to_string),
        to,
        to_type: info.to.as_ref().and_then(|a| present(&a.acct_type)).map(str::to_string),
        xfer_id: present(&info.xfer_id).map(str::to_string),
        orig_dt: present(&info.orig_dt).map(str::to_string),
        bank_info: request.bank_info,
    };
    Ok((canonical, operation))
}

/// Moves the amount and fee out of the source account and, unless the transfer leaves
/// the bank, the amount into the destination; both accounts must exist.
fn commit_transfer(
    tx: &rusqlite::Transaction<'_>,
    config: &SimulatorConfig,
    owner: &str,
    operation: &str,
    c: &CanonicalTransfer,
) -> Result<(Reply, Option<i64>), BankError> {
    let interbank = operation == "transfer_interbank";
    check_account(config, &c.from, doc("NC"), doc("NF"))?;
    if !interbank {
        check_account(config, &c.to, doc("NC"), doc("NF"))?;
    }
    let source = state::bank_account(tx, &c.from)?;
    let total = c.amount.checked_add(c.fee).ok_or_else(|| doc("NS"))?;
    if source.balance < total {
        return Err(doc("W2"));
    }
    state::add_balance(tx, BANK, &c.from, -total.centavos())?;
    if !interbank {
        state::bank_account(tx, &c.to)?;
        state::add_balance(tx, BANK, &c.to, c.amount.centavos())?;
    }
    let record = Operation {
        contract: BANK.into(),
        owner: owner.to_string(),
        operation: operation.into(),
        idempotency_key: Some(c.ref_id.clone()),
        amount: c.amount,
        fee: c.fee,
        from_account: Some(c.from.clone()),
        to_account: Some(c.to.clone()),
        counterpart: c.bank_id.clone(),
        holder: c.full_name.clone(),
        description: c.desc.clone(),
        status: "posted".into(),
        reference: Some(c.ref_id.clone()),
        ..Operation::default()
    };
    let id = state::insert_operation(tx, &record)?;
    Ok((Reply::json(200, &json!({ "responseType": { "value": "OK" }, "refId": c.ref_id })), Some(id)))
}

// ---------------------------------------------------------------------------------------
// Fees

#[derive(Deserialize)]
struct FeesRequest {
    #[serde(rename = "depAcctIdFrom")]
    from: Option<NestedAcct>,
    #[serde(rename = "depAcctIdTo")]
    to: Option<NestedAcct>,
    #[serde(rename = "xFerInfo")]
    xfer_info: Option<FeesInfo>,
}

#[derive(Deserialize)]
struct NestedAcct {
    #[serde(rename = "depAcctId")]
    dep_acct_id: Option<AcctRef>,
}

#[derive(Deserialize)]
struct FeesInfo {
    #[serde(rename = "processingCode")]
    processing_code: Option<String>,
    #[serde(rename = "curAmt")]
    #[allow(dead_code)]
    cur_amt: Option<CurAmt>,
}

fn nested_acct(value: &Option<NestedAcct>) -> Option<&str> {
    value.as_ref().and_then(|n| acct(&n.dep_acct_id))
}

#[derive(Serialize)]
struct FeesReply {
    #[serde(rename = "responseType")]
    response_type: serde_json::Value,
    #[serde(rename = "personName")]
    person_name: serde_json::Value,
    #[serde(rename = "xFerInfo")]
    xfer_info: serde_json::Value,
    transaction: FeeTransaction,
}

#[derive(Serialize)]
struct FeeTransaction {
    /// Spelled as in the contract's response example.
    #[serde(rename = "curtAmt")]
    curt_amt: AmtOut,
}

#[derive(Serialize)]
struct AmtOut {
    amt: Box<RawValue>,
}

async fn fees(State(sim): State<Shared>, _client: BankClient, body: Bytes) -> BankResult {
    let request: FeesRequest = parse(&body)?;
    let code = request.xfer_info.as_ref().and_then(|i| present(&i.processing_code)).unwrap_or("").to_string();
    let fee = fee_for(&code).ok_or_else(|| doc("10004"))?;
    let no_account = || documented("05620", Some(404)).expect("documented");
    for side in [&request.from, &request.to] {
        let acct_id = nested_acct(side).filter(|a| wire::is_digits(a)).ok_or_else(no_account)?;
        if sim.config.missing_accounts.contains(acct_id) {
            return Err(no_account());
        }
    }
    let to = nested_acct(&request.to).unwrap_or_default().to_string();
    let lookup = to.clone();
    let holder = sim.db.call(move |c| state::account(c, BANK, &lookup)).await?.map(|a| a.holder);
    let holder = holder.unwrap_or_else(|| state::default_holder(&to));
    let reply = FeesReply {
        response_type: json!({ "value": "OK" }),
        person_name: json!({ "fullName": holder }),
        xfer_info: json!({ "processingCode": code }),
        transaction: FeeTransaction { curt_amt: AmtOut { amt: wire::number(fee) } },
    };
    Ok(wire::respond(Reply::json(200, &reply)))
}

// ---------------------------------------------------------------------------------------
// Correspondent deposit, Normal and Reverso

#[derive(Deserialize)]
struct DepositRequest {
    trn: Option<DepositTrn>,
}

#[derive(Deserialize)]
struct DepositTrn {
    #[serde(rename = "transactionHour")]
    transaction_hour: Option<String>,
    code: Option<String>,
    #[serde(rename = "depAcctIdTo")]
    to: Option<AcctRef>,
    #[serde(rename = "curAmt")]
    cur_amt: Option<CurAmt>,
    #[serde(rename = "type")]
    kind: Option<String>,
    #[serde(rename = "trnRqUID")]
    trn_rq_uid: Option<String>,
    #[serde(rename = "branchName")]
    branch_name: Option<String>,
    #[serde(rename = "cityId")]
    city_id: Option<String>,
    city: Option<String>,
    #[serde(rename = "stateProv")]
    state_prov: Option<String>,
    #[serde(rename = "depAcctIdFrom")]
    from: Option<AcctRef>,
}

#[derive(Serialize)]
struct CanonicalDeposit {
    transaction_hour: String,
    code: Option<String>,
    to: String,
    amount: Money,
    /// "N" or "R", however the client spelled it.
    kind: &'static str,
    trn_rq_uid: String,
    branch_name: Option<String>,
    city_id: Option<String>,
    city: Option<String>,
    state_prov: Option<String>,
    from: String,
}

#[derive(Serialize)]
struct DepositReply {
    #[serde(rename = "responseType")]
    response_type: serde_json::Value,
    trn: serde_json::Value,
}

fn deposit_reply(holder: &str, acct_id: &str, approval: &str) -> Reply {
    Reply::json(
        200,
        &DepositReply {
            response_type: json!({ "value": "OK" }),
            trn: json!({
                "personName": { "fullName": holder },
                "depAcctId": { "acctId": acct_id },
                "approvalId": approval,
            }),
        },
    )
}

fn valid_hour(text: &str) -> bool {
    chrono::NaiveTime::parse_from_str(text, "%H:%M:%S").is_ok() && text.len() == 8
}

/// The deposit's required headers (seeds/004 L2416-L2442, "SI"), with the fixed value
/// where the table gives one. `X-Invoker-ModifierUser` ("Enviar espacios") must be
/// present and may be blank; the others must carry a value.
const DEPOSIT_HEADERS: &[(&str, Option<&str>)] = &[
    ("X-Invoker-Channel", Some("13")),
    ("X-Invoker-BranchId", Some("1108")),
    ("X-Invoker-TerminalId", None),
    ("X-Invoker-UserIPAddress", None),
    ("X-Invoker-ServerIPAddress", None),
    ("X-Invoker-ProcessDate", None),
    ("X-Invoker-TxId", None),
    ("X-Invoker-SessionKey", None),
    ("X-Invoker-Country", Some("CO")),
    ("X-Invoker-ProcessId", None),
    ("X-Invoker-subChannel", Some("06")),
    ("X-Invoker-User", Some("NEWCBSER")),
    ("X-Invoker-Action", None),
];

/// Checks the deposit's headers as the table writes them; answers in the common error
/// shape. Returns the book date (`X-Invoker-ProcessDate`).
fn deposit_headers(headers: &axum::http::HeaderMap) -> Result<String, BankError> {
    let value = |name: &str| headers.get(name).and_then(|v| v.to_str().ok()).map(str::trim);
    for (name, fixed) in DEPOSIT_HEADERS {
        let given = value(name).filter(|v| !v.is_empty()).ok_or_else(|| empty_field(name))?;
        if fixed.is_some_and(|f| f != given) {
            return Err(BankError::bad_request(format!("{name} debe ser el valor fijo {}", fixed.unwrap_or_default())));
        }
    }
    if value("X-Invoker-ModifierUser").is_none() {
        return Err(empty_field("X-Invoker-ModifierUser"));
    }
    if !matches!(value("X-Invoker-Action"), Some("C") | Some("R")) {
        return Err(BankError::bad_request("X-Invoker-Action debe ser C o R".into()));
    }
    // L2431: "Largo máximo 16 caracteres."
    if value("X-Invoker-TxId").is_some_and(|t| t.chars().count() > 16) {
        return Err(doc_in("pockets", "00001"));
    }
    // L2430: "Formato AAA-MM-DD"; the book date ("FECHA EN LIBROS").
    let date = value("X-Invoker-ProcessDate").unwrap_or_default();
    if date.len() != 10 || chrono::NaiveDate::parse_from_str(date, "%Y-%m-%d").is_err() {
        return Err(doc("N7"));
    }
    Ok(date.to_string())
}

/// `PUT /deposit`. `trnRqUID` (6 digits) keys the request: a Normal deposit under a
/// new key moves the amount from the correspondent account to the customer's; a Reverso
/// with the same `trnRqUID` undoes that deposit, once.
async fn deposit(
    State(sim): State<Shared>,
    client: BankClient,
    headers: axum::http::HeaderMap,
    body: Bytes,
) -> BankResult {
    let book_date = deposit_headers(&headers)?;
    let request: DepositRequest = parse(&body)?;
    let trn = request.trn.ok_or_else(|| BankError::bad_request("falta el objeto trn".into()))?;
    let trn_rq_uid =
        present(&trn.trn_rq_uid).filter(|u| u.len() == 6 && wire::is_digits(u)).ok_or_else(|| doc("N1"))?;
    // L2456: "N --> Normal R --> reverso"; the example (L2476) writes "Normal". Nothing
    // documents "Reverso".
    let kind = match present(&trn.kind) {
        Some("N") | Some("Normal") => "N",
        Some("R") => "R",
        _ => return Err(doc("NR")),
    };
    let transaction_hour = present(&trn.transaction_hour).filter(|h| valid_hour(h)).ok_or_else(|| doc("N6"))?;
    let amount = trn.cur_amt.as_ref().and_then(|c| c.amt.as_ref()).and_then(WireDecimal::positive_money);
    let amount = amount.ok_or_else(|| doc("NS"))?;
    let from = acct(&trn.from).filter(|a| wire::is_digits(a)).ok_or_else(|| doc("NC"))?.to_string();
    let to = acct(&trn.to).filter(|a| wire::is_digits(a)).ok_or_else(|| doc("11111"))?.to_string();
    if from == to {
        return Err(doc("11110"));
    }
    let canonical = CanonicalDeposit {
        transaction_hour: transaction_hour.to_string(),
        code: present(&trn.code).map(str::to_string),
        to,
        amount,
        kind,
        trn_rq_uid: trn_rq_uid.to_string(),
        branch_name: present(&trn.branch_name).map(str::to_string),
        city_id: present(&trn.city_id).map(str::to_string),
        city: present(&trn.city).map(str::to_string),
        state_prov: present(&trn.state_prov).map(str::to_string),
        from,
    };
    let hash = wire::request_hash(&canonical);
    let sim2 = sim.clone();
    let owner = client.client_id.clone();
    let outcome = sim
        .db
        .call(move |conn| {
            let c = &canonical;
            let key = state::Key {
                scope: format!("bank:{owner}:deposit:{}", c.kind),
                key: &c.trn_rq_uid,
                request_hash: &hash,
            };
            state::idempotent(conn, &key, |tx| {
                if c.kind == "N" {
                    normal_deposit(tx, &sim2.config, &owner, c, &book_date)
                } else {
                    reverse_deposit(tx, &owner, c, &book_date)
                }
            })
        })
        .await?;
    // A second, different Reverso of a reversed deposit: the deal is no longer valid to reverse.
    let conflict = if kind == "R" { doc("N4") } else { doc("N3") };
    keyed_reply(outcome, conflict)
}

fn normal_deposit(
    tx: &rusqlite::Transaction<'_>,
    config: &SimulatorConfig,
    owner: &str,
    c: &CanonicalDeposit,
    book_date: &str,
) -> Result<(Reply, Option<i64>), BankError> {
    check_account(config, &c.from, doc("NC"), doc("NF"))?;
    check_account(config, &c.to, doc("NC"), doc("NF"))?;
    let source = state::bank_account(tx, &c.from)?;
    if source.balance < c.amount {
        return Err(doc("W2"));
    }
    let target = state::bank_account(tx, &c.to)?;
    state::add_balance(tx, BANK, &c.from, -c.amount.centavos())?;
    state::add_balance(tx, BANK, &c.to, c.amount.centavos())?;
    let approval = approval_id();
    let id = state::insert_operation(
        tx,
        &Operation {
            contract: BANK.into(),
            owner: owner.into(),
            operation: "deposit".into(),
            idempotency_key: Some(c.trn_rq_uid.clone()),
            amount: c.amount,
            from_account: Some(c.from.clone()),
            to_account: Some(c.to.clone()),
            counterpart: c.code.clone(),
            holder: Some(target.holder.clone()),
            description: c.branch_name.clone(),
            // The deposit's book date (X-Invoker-ProcessDate), which its reversal repeats.
            concept: Some(book_date.to_string()),
            status: "posted".into(),
            reference: Some(approval.clone()),
            ..Operation::default()
        },
    )?;
    Ok((deposit_reply(&target.holder, &c.to, &approval), Some(id)))
}

fn reverse_deposit(
    tx: &rusqlite::Transaction<'_>,
    owner: &str,
    c: &CanonicalDeposit,
    book_date: &str,
) -> Result<(Reply, Option<i64>), BankError> {
    let original_id = state::keyed_operation(tx, &format!("bank:{owner}:deposit:N"), &c.trn_rq_uid)?;
    let original = match original_id {
        Some(id) => state::operation(tx, id)?,
        None => None,
    };
    let original = original.filter(|o| o.status == "posted").ok_or_else(|| doc("N4"))?;
    // P1 (L337): "REF.NEG.REV.MONTO,FEC.LIB Y MONTO DEBEN COINC.": book date and amount.
    let same_deal = original.amount == c.amount
        && original.concept.as_deref().is_none_or(|date| date == book_date)
        && original.to_account.as_deref() == Some(c.to.as_str())
        && original.from_account.as_deref() == Some(c.from.as_str());
    if !same_deal {
        return Err(doc("P1"));
    }
    let customer = state::bank_account(tx, &c.to)?;
    if customer.balance < c.amount {
        return Err(doc("W2"));
    }
    state::add_balance(tx, BANK, &c.to, -c.amount.centavos())?;
    state::add_balance(tx, BANK, &c.from, c.amount.centavos())?;
    state::set_status(tx, original.id, "reversed")?;
    let approval = approval_id();
    let id = state::insert_operation(
        tx,
        &Operation {
            contract: BANK.into(),
            owner: owner.into(),
            operation: "reversal".into(),
            idempotency_key: Some(c.trn_rq_uid.clone()),
            amount: c.amount,
            from_account: Some(c.to.clone()),
            to_account: Some(c.from.clone()),
            counterpart: c.code.clone(),
            holder: Some(customer.holder.clone()),
            description: c.branch_name.clone(),
            status: "posted".into(),
            reference: Some(approval.clone()),
            related_id: Some(original.id),
            ..Operation::default()
        },
    )?;
    Ok((deposit_reply(&customer.holder, &c.to, &approval), Some(id)))
}

// ---------------------------------------------------------------------------------------
// Transfiya

/// Largest Transfiya send the simulated bank allows ("Se excede monto permitido").
const TRANSFIYA_LIMIT: Money = Money::from_centavos(1_000_000);

#[derive(Deserialize)]
struct TransfiyaSendRequest {
    #[serde(rename = "xFerInfo")]
    xfer_info: Option<TransfiyaInfo>,
    fee: Option<Fee>,
    #[serde(rename = "deviceFingerPrint")]
    device_finger_print: Option<String>,
}

#[derive(Deserialize, Default)]
struct TransfiyaInfo {
    #[serde(rename = "pseTrnCode")]
    pse_trn_code: Option<String>,
    #[serde(rename = "depAcctIdFrom")]
    from: Option<AcctRef>,
    #[serde(rename = "depAcctIdTo")]
    to: Option<AcctRef>,
    amt: Option<WireDecimal>,
    desc: Option<String>,
}

#[derive(Serialize)]
struct CanonicalTransfiyaSend {
    from_acct: String,
    from_cell: String,
    to_cell: String,
    amount: Money,
    desc: String,
    fee: Money,
    device_finger_print: String,
}

fn required<'a>(value: Option<&'a str>, field: &str) -> Result<&'a str, BankError> {
    value.ok_or_else(|| empty_field(field))
}

async fn transfiya_send(State(sim): State<Shared>, client: BankClient, body: Bytes) -> BankResult {
    let request: TransfiyaSendRequest = parse(&body)?;
    let canonical = canonical_transfiya_send(request)?;
    let hash = wire::request_hash(&canonical);
    let sim2 = sim.clone();
    let outcome = sim
        .db
        .call(move |conn| {
            let owner = client.client_id.clone();
            let tx_id = client.tx_id.as_deref();
            let apply = |tx: &rusqlite::Transaction<'_>| commit_transfiya_send(tx, &sim2.config, &owner, tx_id, &canonical);
            match tx_id {
                Some(tx_id) => {
                    let key =
                        state::Key { scope: format!("bank:{owner}:transfiya_credit"), key: tx_id, request_hash: &hash };
                    state::idempotent(conn, &key, apply)
                }
                None => state::write(conn, |tx| apply(tx).map(|(reply, _)| Keyed::Fresh(reply))),
            }
        })
        .await?;
    keyed_reply(outcome, doc("PM"))
}

/// The Transfiya send request checked field by field, as its idempotency hash is taken.
fn canonical_transfiya_send(request: TransfiyaSendRequest) -> Result<CanonicalTransfiyaSend, BankError> {
    let info = request.xfer_info.unwrap_or_default();
    let from_acct = required(acct(&info.from), "xFerInfo.depAcctIdFrom.acctId")?;
    if !wire::is_digits(from_acct) {
        return Err(doc_in("transfiya", "20001"));
    }
    let from_cell = required(cell(&info.from), "xFerInfo.depAcctIdFrom.cellPhone")?;
    let to_cell = required(cell(&info.to), "xFerInfo.depAcctIdTo.cellPhone")?;
    let amount = info.amt.as_ref().and_then(WireDecimal::positive_money).ok_or_else(|| empty_field("xFerInfo.amt"))?;
    if amount > TRANSFIYA_LIMIT {
        return Err(doc_in("transfiya", "00123"));
    }
    let desc = required(present(&info.desc), "xFerInfo.desc")?;
    let fee = fee_amount(&request.fee).ok_or_else(|| empty_field("fee.curAmt.amt"))?;
    let device = required(present(&request.device_finger_print), "deviceFingerPrint")?;
    Ok(CanonicalTransfiyaSend {
        from_acct: from_acct.into(),
        from_cell: from_cell.into(),
        to_cell: to_cell.into(),
        amount,
        desc: desc.into(),
        fee,
        device_finger_print: device.into(),
    })
}

/// Takes the amount and fee out of the sender's account and leaves the transfer pending
/// for the recipient's cell phone under a new `pseTrnCode`.
fn commit_transfiya_send(
    tx: &rusqlite::Transaction<'_>,
    config: &SimulatorConfig,
    owner: &str,
    tx_id: Option<&str>,
    c: &CanonicalTransfiyaSend,
) -> Result<(Reply, Option<i64>), BankError> {
    check_account(config, &c.from_acct, doc_in("transfiya", "20001"), doc_in("transfiya", "06905"))?;
    let source = state::bank_account(tx, &c.from_acct)?;
    let total = c.amount.checked_add(c.fee).ok_or_else(|| empty_field("xFerInfo.amt"))?;
    if source.balance < total {
        return Err(doc_in("transfiya", "11201"));
    }
    state::add_balance(tx, BANK, &c.from_acct, -total.centavos())?;
    let code = pse_trn_code();
    state::insert_transfiya(tx, &code, owner, Some(&c.from_acct), &c.from_cell, &c.to_cell, c.amount, c.fee, &c.desc)?;
    let record = Operation {
        contract: BANK.into(),
        owner: owner.to_string(),
        operation: "transfiya_send".into(),
        idempotency_key: tx_id.map(str::to_string),
        amount: c.amount,
        fee: c.fee,
        from_account: Some(c.from_acct.clone()),
        counterpart: Some(c.to_cell.clone()),
        description: Some(c.desc.clone()),
        status: "pending".into(),
        reference: Some(code.clone()),
        ..Operation::default()
    };
    let id = state::insert_operation(tx, &record)?;
    let reply = json!({ "responseType": { "value": "OK" }, "xFerInfo": { "pseTrnCode": code } });
    Ok((Reply::json(201, &reply), Some(id)))
}

#[derive(Deserialize)]
struct PendingQuery {
    #[serde(rename = "initialRecord")]
    initial_record: Option<i64>,
    #[serde(rename = "recordsXPage")]
    records_x_page: Option<i64>,
}

#[derive(Serialize)]
struct PendingItem {
    #[serde(rename = "depAcctIdTo")]
    to: serde_json::Value,
    #[serde(rename = "curAmt")]
    cur_amt: PendingAmount,
    #[serde(rename = "pseTrnCode")]
    pse_trn_code: String,
}

#[derive(Serialize)]
struct PendingAmount {
    amt: Box<RawValue>,
    desc: String,
}

async fn transfiya_pending(
    State(sim): State<Shared>,
    _client: BankClient,
    Path(cellphone): Path<String>,
    RawQuery(query): RawQuery,
) -> BankResult {
    let query: PendingQuery = serde_urlencoded::from_str(query.as_deref().unwrap_or(""))
        .map_err(|e| BankError::bad_request(format!("parámetros inválidos: {e}")))?;
    let initial = query.initial_record.unwrap_or(1).max(1);
    let count = query.records_x_page.unwrap_or(10).clamp(1, 100);
    let pending = sim.db.call(move |c| state::pending_transfiya(c, &cellphone, initial, count)).await?;
    if pending.is_empty() {
        return Err(doc_in("transfiya", "00001"));
    }
    let items: Vec<PendingItem> = pending
        .into_iter()
        .map(|t| PendingItem {
            to: json!({ "cellPhone": t.to_cell }),
            cur_amt: PendingAmount { amt: wire::number(t.amount), desc: t.description },
            pse_trn_code: t.pse_trn_code,
        })
        .collect();
    #[derive(Serialize)]
    struct PendingReply {
        #[serde(rename = "responseType")]
        response_type: serde_json::Value,
        #[serde(rename = "xFerInfo")]
        xfer_info: Vec<PendingItem>,
    }
    Ok(wire::respond(Reply::json(200, &PendingReply { response_type: json!({ "value": "OK" }), xfer_info: items })))
}

#[derive(Deserialize)]
struct TransfiyaAgreeRequest {
    #[serde(rename = "xFerInfo")]
    xfer_info: Option<TransfiyaInfo>,
    fee: Option<Fee>,
    #[serde(rename = "flagTransferAccept")]
    flag_transfer_accept: Option<String>,
    #[serde(rename = "flagEstablishTrust")]
    flag_establish_trust: Option<bool>,
    #[serde(rename = "deviceFingerPrint")]
    device_finger_print: Option<String>,
}

#[derive(Serialize)]
struct CanonicalAgree {
    pse_trn_code: String,
    acct: Option<String>,
    from_cell: Option<String>,
    to_cell: Option<String>,
    amount: Money,
    desc: Option<String>,
    fee: Money,
    flag: String,
    trust: bool,
    device_finger_print: String,
}

/// `PUT /transfiya/transfers/agree`. Accept credits `xFerInfo.depAcctIdFrom.acctId` (the
/// accepting party's registered account); Reject and ToBlock return the money to the
/// sender. The `pseTrnCode` is the key: the same answer again is replayed, a different one
/// is "TRANSACCION DE RECHAZO YA PROCESADA".
async fn transfiya_agree(State(sim): State<Shared>, client: BankClient, body: Bytes) -> BankResult {
    let request: TransfiyaAgreeRequest = parse(&body)?;
    let canonical = canonical_agree(request)?;
    let (hash, key) = (wire::request_hash(&canonical), canonical.pse_trn_code.clone());
    let scope = format!("bank:{}:transfiya_agree", client.client_id);
    let sim2 = sim.clone();
    let apply = move |tx: &rusqlite::Transaction<'_>| commit_agree(tx, &sim2.config, &client.client_id, &canonical);
    let outcome = sim.db.keyed(scope, key, hash, apply).await?;
    keyed_reply(outcome, doc_in("transfiya", "01101"))
}

/// The answer to a pending Transfiya checked field by field, as its idempotency hash is taken.
fn canonical_agree(request: TransfiyaAgreeRequest) -> Result<CanonicalAgree, BankError> {
    let info = request.xfer_info.unwrap_or_default();
    let code = required(present(&info.pse_trn_code), "xFerInfo.pseTrnCode")?.to_string();
    let flag = match present(&request.flag_transfer_accept) {
        Some(f @ ("Accept" | "Reject" | "ToBlock")) => f.to_string(),
        _ => return Err(empty_field("flagTransferAccept")),
    };
    let acct_id = acct(&info.from).map(str::to_string);
    match &acct_id {
        None if flag == "Accept" => return Err(empty_field("xFerInfo.depAcctIdFrom.acctId")),
        Some(a) if !wire::is_digits(a) => return Err(doc_in("transfiya", "20001")),
        _ => {}
    }
    let amount = info.amt.as_ref().and_then(WireDecimal::positive_money).ok_or_else(|| empty_field("xFerInfo.amt"))?;
    let fee = fee_amount(&request.fee).ok_or_else(|| empty_field("fee.curAmt.amt"))?;
    let device = required(present(&request.device_finger_print), "deviceFingerPrint")?.to_string();
    Ok(CanonicalAgree {
        pse_trn_code: code,
        acct: acct_id,
        from_cell: cell(&info.from).map(str::to_string),
        to_cell: cell(&info.to).map(str::to_string),
        amount,
        desc: present(&info.desc).map(str::to_string),
        fee,
        flag,
        trust: request.flag_establish_trust.unwrap_or(false),
        device_finger_print: device,
    })
}

/// Settles a pending Transfiya as answered: Accept credits the accepting account (never
/// the sender's own), Reject and ToBlock return the money to the sender.
fn commit_agree(
    tx: &rusqlite::Transaction<'_>,
    config: &SimulatorConfig,
    owner: &str,
    c: &CanonicalAgree,
) -> Result<(Reply, Option<i64>), BankError> {
    let pending = state::transfiya(tx, &c.pse_trn_code)?.ok_or_else(|| doc_in("transfiya", "20002"))?;
    if c.to_cell.as_deref().is_some_and(|cell| cell != pending.to_cell) {
        return Err(doc_in("transfiya", "20002"));
    }
    if pending.status != "pending" {
        return Err(doc_in("transfiya", "01101"));
    }
    if pending.amount != c.amount {
        return Err(doc("PH"));
    }
    let mut op = Operation {
        contract: BANK.into(),
        owner: owner.to_string(),
        idempotency_key: Some(c.pse_trn_code.clone()),
        amount: pending.amount,
        counterpart: Some(pending.from_cell.clone()),
        description: Some(pending.description.clone()),
        status: "posted".into(),
        reference: Some(c.pse_trn_code.clone()),
        ..Operation::default()
    };
    if c.flag == "Accept" {
        let target = c.acct.clone().unwrap_or_default();
        check_account(config, &target, doc_in("transfiya", "20001"), doc_in("transfiya", "06905"))?;
        if pending.from_account.as_deref() == Some(target.as_str()) {
            return Err(doc_in("transfiya", "01102"));
        }
        state::bank_account(tx, &target)?;
        state::add_balance(tx, BANK, &target, pending.amount.centavos())?;
        state::set_transfiya_status(tx, &c.pse_trn_code, "accepted")?;
        op.operation = "transfiya_accept".into();
        op.to_account = Some(target);
    } else {
        if let Some(sender) = &pending.from_account {
            state::add_balance(tx, BANK, sender, pending.amount.centavos())?;
        }
        state::set_transfiya_status(tx, &c.pse_trn_code, "rejected")?;
        op.operation = "transfiya_reject".into();
        op.to_account = pending.from_account.clone();
    }
    let id = state::insert_operation(tx, &op)?;
    Ok((Reply::json(201, &json!({ "responseType": { "value": "OK" } })), Some(id)))
}

// ---------------------------------------------------------------------------------------
// Pockets

#[derive(Deserialize)]
struct PocketRequest {
    #[serde(rename = "depAcctId")]
    account: Option<AcctRef>,
    #[serde(rename = "xFerInfo")]
    xfer_info: Option<PocketInfo>,
    branch: Option<Branch>,
}

#[derive(Deserialize)]
struct PocketInfo {
    amt: Option<WireDecimal>,
    #[serde(rename = "flagTransfer")]
    flag_transfer: Option<String>,
}

#[derive(Deserialize)]
struct Branch {
    #[serde(rename = "branchId")]
    branch_id: Option<String>,
}

#[derive(Serialize)]
struct CanonicalPocket {
    acct: String,
    amount: Money,
    flag: String,
    branch: Option<String>,
}

#[derive(Serialize)]
struct PocketReply {
    #[serde(rename = "responseType")]
    response_type: serde_json::Value,
    #[serde(rename = "acctBal")]
    acct_bal: PocketBalance,
}

#[derive(Serialize)]
struct PocketBalance {
    #[serde(rename = "curAmt")]
    cur_amt: AmtOut,
}

/// `POST /transfers/pockets`: D moves from the account to its pocket, C back; the reply
/// carries the account's balance afterwards. Keyed by `X-Invoker-TxId` when sent.
async fn pockets(State(sim): State<Shared>, client: BankClient, body: Bytes) -> BankResult {
    let request: PocketRequest = parse(&body)?;
    let input_error = || doc_in("pockets", "00001");
    let acct_id = acct(&request.account).filter(|a| wire::is_digits(a)).ok_or_else(input_error)?.to_string();
    let info = request.xfer_info.ok_or_else(input_error)?;
    let amount = info.amt.as_ref().and_then(WireDecimal::positive_money).ok_or_else(input_error)?;
    let flag = match present(&info.flag_transfer) {
        Some(f @ ("D" | "C")) => f.to_string(),
        _ => return Err(input_error()),
    };
    let canonical = CanonicalPocket {
        acct: acct_id,
        amount,
        flag,
        branch: request.branch.and_then(|b| present(&b.branch_id).map(str::to_string)),
    };
    let hash = wire::request_hash(&canonical);
    let sim2 = sim.clone();
    let outcome = sim
        .db
        .call(move |conn| {
            let c = &canonical;
            let owner = client.client_id.clone();
            let apply = |tx: &rusqlite::Transaction<'_>| -> Result<(Reply, Option<i64>), BankError> {
                check_account(&sim2.config, &c.acct, doc("NC"), doc("NF"))?;
                let account = state::bank_account(tx, &c.acct)?;
                let (from_pocket, operation) =
                    if c.flag == "D" { (false, "pocket_debit") } else { (true, "pocket_credit") };
                let available = if from_pocket { account.pocket } else { account.balance };
                if available < c.amount {
                    return Err(doc("W2"));
                }
                let delta = if from_pocket { c.amount.centavos() } else { -c.amount.centavos() };
                let balance = state::add_balance(tx, BANK, &c.acct, delta)?;
                state::add_pocket(tx, &c.acct, -delta)?;
                let id = state::insert_operation(
                    tx,
                    &Operation {
                        contract: BANK.into(),
                        owner: owner.clone(),
                        operation: operation.into(),
                        idempotency_key: client.tx_id.clone(),
                        amount: c.amount,
                        from_account: Some(c.acct.clone()),
                        to_account: Some(c.acct.clone()),
                        status: "posted".into(),
                        ..Operation::default()
                    },
                )?;
                let reply = PocketReply {
                    response_type: json!({ "value": "OK" }),
                    acct_bal: PocketBalance { cur_amt: AmtOut { amt: wire::number(balance) } },
                };
                Ok((Reply::json(201, &reply), Some(id)))
            };
            match &client.tx_id {
                Some(tx_id) => {
                    let key = state::Key { scope: format!("bank:{owner}:pockets"), key: tx_id, request_hash: &hash };
                    state::idempotent(conn, &key, apply)
                }
                None => state::write(conn, |tx| apply(tx).map(|(reply, _)| Keyed::Fresh(reply))),
            }
        })
        .await?;
    keyed_reply(outcome, doc("PM"))
}
